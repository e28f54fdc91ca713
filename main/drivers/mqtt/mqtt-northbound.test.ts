// MQTT northbound as a durable WAL consumer against Mosquitto: values published per tag
// (retained) and batched; the broker stopped mid-test, values published meanwhile wait in the
// WAL and all reach the broker, in order, once it is back.
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { dataBody } from '../../../test/frame-fixtures.ts';
import { startMosquitto, type MosquittoServer } from '../../../test/services/mosquitto-server.ts';
import { until } from '../../../test/wait.ts';
import { useWalFolder } from '../../../test/wal-folder.ts';
import { FrameBus } from '../../bus/frame-bus.ts';
import type { DataFrame } from '../../../proto/generated/frame.ts';
import { mqttNorthboundSchema } from './mqtt-northbound-config.ts';
import { MqttNorthbound, type TopicNames } from './mqtt-northbound.ts';

const broker = await startMosquitto();
const folder = useWalFolder();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- per-tag objects and batch arrays alike
type Received = any;

/** Topic names as the gateway's repositories would give them. */
const names: TopicNames = (frame: DataFrame) => Promise.resolve({ device: `Line/${frame.deviceId}`, tag: frame.tagId });

async function subscriber(
  url: string,
  filter: string,
): Promise<{ client: MqttClient; messages: Array<[string, Received]> }> {
  const messages: Array<[string, Received]> = [];
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 50 });
  client.on('message', (topic, payload) => messages.push([topic, JSON.parse(payload.toString())]));
  await client.subscribeAsync(filter, { qos: 1 });
  return { client, messages };
}

describe.skipIf(!broker)('MQTT northbound', () => {
  const server = broker as MosquittoServer;
  afterAll(() => server?.stop());

  it('publishes retained per-tag values and loses nothing while the broker is down', async () => {
    const wal = await folder.open();
    const bus = new FrameBus({ wal });
    const config = mqttNorthboundSchema.parse({
      url: server.url,
      connection: { qos: 1 },
      topicPrefix: 'gw',
      reconnectMs: 1500,
    });
    const northbound = new MqttNorthbound(config, names);
    const watch = await subscriber(server.url, 'gw/#');
    await northbound.start(wal);
    for (let i = 0; i < 100; i++) bus.publish(dataBody(`tag-${i % 5}`, i));
    await until(() => watch.messages.length === 100);
    expect(watch.messages[0]).toEqual(['gw/Line_device-1/tag-0', { value: 0, quality: 'GOOD', ts: 1_700_000_000_000 }]);

    await server.stopServer();
    for (let i = 100; i < 600; i++) bus.publish(dataBody(`tag-${i % 5}`, i));
    await bus.flush();
    await until(() => northbound.metrics()?.failing === true);
    expect(northbound.metrics()?.lagFrames).toBeGreaterThanOrEqual(500);

    await server.startServer();
    // the watcher reconnects (50 ms) before the publisher (1.5 s) and resubscribes
    await until(() => watch.client.connected, 10_000);
    await until(() => northbound.metrics()?.lagFrames === 0, 20_000);
    await until(() => watch.messages.length === 600, 10_000);
    const values = watch.messages.map(([, message]) => message.value as number);
    expect(values).toEqual(Array.from({ length: 600 }, (_, i) => i));

    // a late subscriber gets each tag's last value, retained
    const late = await subscriber(server.url, 'gw/#');
    await until(() => late.messages.length === 5);
    expect(late.messages.map(([, m]) => m.value).sort((a, b) => a - b)).toEqual([595, 596, 597, 598, 599]);
    await late.client.endAsync(true);
    await watch.client.endAsync(true);
    await northbound.stop();
    await bus.close();
  }, 60_000);

  it('publishes batched JSON arrays', async () => {
    const wal = await folder.open();
    const bus = new FrameBus({ wal });
    const northbound = new MqttNorthbound(
      mqttNorthboundSchema.parse({ url: server.url, mode: 'batch', topicPrefix: 'b', batchSize: 100 }),
      names,
    );
    const watch = await subscriber(server.url, 'b/batch');
    await northbound.start(wal, 'mqtt-batch');
    for (let i = 0; i < 1000; i++) bus.publish(dataBody(`t${i % 10}`, i));
    await until(() => watch.messages.flatMap(([, batch]) => batch).length === 1000);
    expect(watch.messages.length).toBeLessThanOrEqual(100);
    expect(watch.messages[0]![1][0]).toMatchObject({ device: 'Line/device-1', tag: 't0', value: 0 });
    await watch.client.endAsync(true);
    await northbound.stop();
    await bus.close();
  }, 30_000);
});
