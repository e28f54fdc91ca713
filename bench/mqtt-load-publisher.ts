// The load for bench/mqtt.ts, run in a separate process so the publisher does not share the
// measured process's CPU: argv = broker URL, topic, message count. Publishes JSON messages at
// QoS 0 as fast as the socket takes them, then prints its own CPU time ("CPU <ms>") and exits.
import mqtt from 'mqtt';

const [url, topic, countText] = process.argv.slice(2) as [string, string, string];
const count = Number(countText);
const client = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
for (let i = 0; i < count; i++) {
  const payload = JSON.stringify({ value: i, ts: 1_700_000_000_000 + i });
  // Wait for the socket now and then, so the client does not buffer the whole run in memory.
  if (i % 1000 === 999) await client.publishAsync(topic, payload, { qos: 0 });
  else client.publish(topic, payload, { qos: 0 });
}
await client.endAsync();
const { user, system } = process.cpuUsage();
process.stdout.write(`CPU ${(user + system) / 1000}\n`);
