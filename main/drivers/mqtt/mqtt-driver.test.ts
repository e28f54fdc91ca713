// The MQTT driver through the driver manager against Debian's Mosquitto: JSON paths with payload
// timestamps, plain payloads, wildcard topics, a bad address, malformed JSON, a 10 MB payload, a
// write published to the broker, a persistent session that receives what was sent while the
// gateway was away, and a broker restart after which the values come back.
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollectingFrameSink } from '../../../test/collecting-frame-sink.ts';
import { startMqttTestGateway, type MqttTestGateway } from '../../../test/driver-manager-harness.ts';
import { startMosquitto, type MosquittoServer } from '../../../test/services/mosquitto-server.ts';
import { Quality, QualityReason, type DataFrame } from '../../../proto/generated/frame.ts';
import type { Device } from '../../db/repositories/devices-repository.ts';
import type { Tag } from '../../db/repositories/tags-repository.ts';
import { deviceStatuses } from '../../api/drivers-router.ts';
import type { ScanOutcome } from '../driver-contract.ts';
import { MqttDriver } from './mqtt-driver.ts';

function valueOf(frame: DataFrame | undefined): unknown {
  return frame?.value?.kind?.value;
}

const broker = await startMosquitto();

describe.skipIf(!broker)('the MQTT driver against Mosquitto', () => {
  const server = broker as MosquittoServer;
  let gateway: MqttTestGateway;
  let publisher: MqttClient;
  const sink = new CollectingFrameSink();
  let tags: Record<string, Tag>;
  let device: Device;

  beforeAll(async () => {
    gateway = await startMqttTestGateway(sink, server.url, [
      {
        name: 'Line broker',
        config: { qos: 1, maxPayloadBytes: 1_048_576 },
        tags: [
          {
            name: 'temperature',
            address: 'plant/line1/telemetry|temperature.value|ts',
            dataType: 'Double',
            accessType: 'ReadWrite',
          },
          { name: 'pressure', address: 'plant/line1/telemetry|$.readings[1]', dataType: 'Double' },
          { name: 'speed', address: 'plant/line1/speed', dataType: 'Double' },
          { name: 'running', address: 'plant/+/state|running', dataType: 'Boolean' },
          { name: 'recipe', address: 'plant/line1/recipe', dataType: 'String' },
          { name: 'setpoint', address: 'plant/line1/setpoint', dataType: 'Double', accessType: 'ReadWrite' },
          { name: 'badAddress', address: 'plant/#/oops', dataType: 'Double' },
        ],
      },
    ]);
    ({ tags } = gateway);
    device = gateway.devices['Line broker']!;
    publisher = await mqtt.connectAsync(server.url, { reconnectPeriod: 100 });
  }, 60_000);

  afterAll(async () => {
    await publisher?.endAsync(true);
    await gateway?.stop();
    await server?.stop();
  });

  it('maps JSON paths, payload timestamps, plain payloads and wildcard topics to tags', async () => {
    await publisher.publishAsync(
      'plant/line1/telemetry',
      JSON.stringify({ temperature: { value: 21.5 }, readings: [1, 2.25], ts: 1_700_000_000_000 }),
      { qos: 1 },
    );
    await publisher.publishAsync('plant/line1/speed', '1450.5', { qos: 1 });
    await publisher.publishAsync('plant/line7/state', JSON.stringify({ running: true }), { qos: 1 });
    await publisher.publishAsync('plant/line1/recipe', 'Batch-9', { qos: 1 });
    await sink.until(() => valueOf(sink.latest(tags.recipe!.id)) === 'Batch-9', 'the recipe');
    await sink.until(() => sink.latest(tags.temperature!.id) !== undefined, 'the temperature');
    expect(sink.latest(tags.temperature!.id)).toMatchObject({
      quality: Quality.QUALITY_GOOD,
      sourceTimestamp: 1_700_000_000_000n * 1_000_000n,
    });
    expect(valueOf(sink.latest(tags.temperature!.id))).toBe(21.5);
    expect(valueOf(sink.latest(tags.pressure!.id))).toBe(2.25);
    await sink.until(() => valueOf(sink.latest(tags.speed!.id)) === 1450.5, 'the speed');
    await sink.until(() => valueOf(sink.latest(tags.running!.id)) === true, 'running by wildcard');
    expect(sink.latest(tags.badAddress!.id)?.qualityReason).toBe(QualityReason.QUALITY_REASON_CONFIG_ERROR);
    expect(gateway.manager.tagProblem(device.id, tags.badAddress!.id)).toMatch(/not a topic filter/);
  });

  it('counts malformed and oversized payloads without crashing, and recovers on the next good one', async () => {
    await publisher.publishAsync('plant/line1/telemetry', '{"temperature": ', { qos: 1 });
    await sink.until(
      () => sink.latest(tags.temperature!.id)?.qualityReason === QualityReason.QUALITY_REASON_DECODE_ERROR,
      'the malformed payload',
    );
    expect(gateway.manager.tagProblem(device.id, tags.temperature!.id)).toMatch(/is not JSON/);
    await publisher.publishAsync('plant/line1/speed', 'fast', { qos: 1 });
    await sink.until(() => sink.latest(tags.speed!.id)?.quality === Quality.QUALITY_BAD, 'text on a number tag');
    expect(gateway.manager.tagProblem(device.id, tags.speed!.id)).toMatch(/expected a number, got "fast"/);

    await publisher.publishAsync('plant/line1/telemetry', Buffer.alloc(10 * 1024 * 1024, 0x7b), { qos: 1 });
    await sink.until(
      () => sink.latest(tags.temperature!.id)?.qualityReason === QualityReason.QUALITY_REASON_MALFORMED_RESPONSE,
      'the 10 MB payload to be refused',
      10_000,
    );
    expect(gateway.manager.tagProblem(device.id, tags.temperature!.id)).toMatch(/10485760 bytes .* exceeds/);
    await publisher.publishAsync('plant/other/topic', 'nobody maps this', { qos: 1 });

    await publisher.publishAsync('plant/line1/telemetry', JSON.stringify({ temperature: { value: 22 } }), { qos: 1 });
    await sink.until(() => valueOf(sink.latest(tags.temperature!.id)) === 22, 'a good value again');
    expect(sink.latest(tags.temperature!.id)?.quality).toBe(Quality.QUALITY_GOOD);
    expect(gateway.stateOf(device.id)).toBe('polling');
    // The counters as the API's status view shows them: 4 good messages before, then malformed
    // JSON, text on a number tag, the 10 MB payload, and a payload that fills the temperature but
    // not the pressure (mapped and malformed). The unsubscribed topic never reaches the driver.
    const [view] = await deviceStatuses(gateway.repos, gateway.manager, new Set([device.id]));
    expect(view?.runtime?.counters).toEqual({
      messages: 8,
      mapped: 5,
      malformed: 3,
      oversized: 1,
      unmapped: 0,
      reconnects: 0,
    });
  }, 20_000);

  it('publishes a write to the tag topic', async () => {
    const received = new Promise<string>((resolve) => {
      publisher.on('message', (topic, payload) => {
        if (topic === 'plant/line1/setpoint') resolve(payload.toString());
      });
    });
    await publisher.subscribeAsync('plant/line1/setpoint', { qos: 1 });
    const ack = await gateway.manager.handleCommand({
      commandId: 'm1',
      tagId: tags.setpoint!.id,
      deviceId: device.id,
      value: { kind: { $case: 'doubleValue', value: 7.5 } },
      originUser: 'test',
      timeoutMs: 5000,
    });
    expect(ack).toMatchObject({ success: true });
    expect(await received).toBe('7.5');
    const refused = await gateway.manager.handleCommand({
      commandId: 'm2',
      tagId: tags.temperature!.id,
      deviceId: device.id,
      value: { kind: { $case: 'doubleValue', value: 1 } },
      originUser: 'test',
      timeoutMs: 5000,
    });
    expect(refused.error).toMatch(/only a tag on one whole topic can be written/);
  });

  it('keeps a persistent session: messages sent while the gateway was away arrive when it is back', async () => {
    const settings = {
      name: 'persistent',
      scanIntervalMs: 1000,
      timeoutMs: 2000,
      maxConcurrent: 1,
      batchSize: 100,
      maxRetries: 3,
      retryIntervalMs: 100,
      exponentialBackoff: false,
      maxRetryIntervalMs: 100,
    };
    const tag = {
      id: 'queued',
      name: 'queued',
      address: 'plant/line9/count|n',
      dataType: 'Double' as const,
      accessType: 'Read' as const,
    };
    const init = (mqttConfig: Record<string, unknown>, push: (outcome: ScanOutcome) => void) => ({
      device: {
        id: 'p',
        name: 'Persistent',
        protocol: 'Mqtt' as const,
        endpoint: server.url,
        config: { mqtt: mqttConfig },
      },
      settings,
      groups: [{ id: 'all', intervalMs: 1000, tags: [tag] }],
      push,
    });
    expect(() => new MqttDriver().initialise(init({ cleanSession: false }, () => undefined))).toThrow(
      /config\.mqtt\.clientId: a persistent session \(cleanSession false\) needs a fixed clientId/,
    );
    for (const protocolVersion of [4, 5]) {
      const seen: number[] = [];
      const driver = new MqttDriver();
      await driver.initialise(
        init(
          { clientId: `gateway-persistent-v${protocolVersion}`, cleanSession: false, qos: 1, protocolVersion },
          (outcome) => {
            for (const reading of outcome.readings) if (reading.ok) seen.push(reading.raw as number);
          },
        ),
      );
      await driver.connect(); // the broker now holds the session and its subscription
      await driver.shutdown();
      for (let n = 1; n <= 50; n++) {
        await publisher.publishAsync('plant/line9/count', JSON.stringify({ n }), { qos: 1 });
      }
      await driver.connect();
      await expect.poll(() => seen.length, { timeout: 5000 }).toBe(50);
      // All of them, the first ones too (they arrive with the CONNACK), in order.
      expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      await driver.shutdown();
    }
  });

  it('reconnects and resubscribes after the broker restarts', async () => {
    const before = sink.data.length;
    await server.stopServer();
    await sink.until(
      () => sink.data.slice(before).some((f) => f.tagId === tags.speed!.id && f.quality === Quality.QUALITY_BAD),
      'the loss to be reported',
    );
    await server.startServer();
    await expect.poll(() => gateway.stateOf(device.id), { timeout: 10_000 }).toBe('polling');
    await expect.poll(() => publisher.connected, { timeout: 10_000 }).toBe(true);
    await publisher.publishAsync('plant/line1/speed', '99', { qos: 1 });
    await sink.until(() => valueOf(sink.latest(tags.speed!.id)) === 99, 'values after the restart');
    const [view] = await deviceStatuses(gateway.repos, gateway.manager, new Set([device.id]));
    expect(view?.runtime?.counters.reconnects).toBe(1);
  }, 30_000);
});
