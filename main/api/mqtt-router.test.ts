// MQTT topic sniffing over the API against Mosquitto: retained and live messages with their
// JSON leaf paths, a bad filter and an unreachable broker refused with the field named.
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, refusalOf, type ApiHarness } from '../../test/api-harness.ts';
import { databaseBackends } from '../../test/database-backends.ts';
import { freePort } from '../../test/services/free-port.ts';
import { startMosquitto, type MosquittoServer } from '../../test/services/mosquitto-server.ts';

const broker = await startMosquitto();

describe.skipIf(!broker)('the MQTT API', () => {
  const server = broker as MosquittoServer;
  let h: ApiHarness;
  beforeAll(async () => {
    h = await apiHarness(await databaseBackends()[0]!.open());
  });
  afterAll(async () => {
    await server.stop();
    await h?.close();
  });

  it('shows the topics and JSON paths arriving on a filter', async () => {
    const { api } = await h.signedInAs('MAINTENANCE');
    const publisher = await mqtt.connectAsync(server.url);
    await publisher.publishAsync('site/a/telemetry', JSON.stringify({ t: { value: 21.5 }, list: [1, 2] }), {
      retain: true,
      qos: 1,
    });
    const sniffing = api.mqtt.sniff({ endpoint: server.url, filter: 'site/#', durationMs: 800 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await publisher.publishAsync('site/b/speed', '12.5', { qos: 1 });
    const result = await sniffing;
    await publisher.endAsync(true);
    expect(result.messages.map((m) => m.topic)).toEqual(['site/a/telemetry', 'site/b/speed']);
    expect(result.messages[0]).toMatchObject({ retained: true });
    expect(result.messages[0]!.paths).toEqual([
      { path: 't.value', value: 21.5 },
      { path: 'list[0]', value: 1 },
      { path: 'list[1]', value: 2 },
    ]);
    expect(result.messages[1]).toMatchObject({ preview: '12.5', paths: null });
  });

  it('refuses a bad filter and an unreachable broker, naming the field', async () => {
    const { api } = await h.signedInAs('MAINTENANCE');
    const bad = await refusalOf(api.mqtt.sniff({ endpoint: server.url, filter: 'a/#/b' }));
    expect(bad.field).toBe('filter');
    const port = await freePort();
    const down = await refusalOf(api.mqtt.sniff({ endpoint: `mqtt://127.0.0.1:${port}`, durationMs: 100 }));
    expect(down.message).toMatch(/nothing accepts connections/);
    const viewer = await h.signedInAs('VIEWER');
    expect((await refusalOf(viewer.api.mqtt.sniff({ endpoint: server.url }))).code).toBe('FORBIDDEN');
  });
});
