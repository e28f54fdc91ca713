// Sparkplug B through the MQTT driver and the driver manager against Debian's Mosquitto: an edge
// node's NBIRTH and a device's DBIRTH with typed metrics (Int8, Int64, UInt64, DateTime, Float,
// Bytes…), DATA by alias, a null metric, a seq gap answered by an NCMD Rebirth, a malformed
// payload, and NDEATH (a stale one with an older bdSeq ignored) turning the node's tags Bad.
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollectingFrameSink } from '../../../test/collecting-frame-sink.ts';
import { startMqttTestGateway, type MqttTestGateway } from '../../../test/driver-manager-harness.ts';
import { startMosquitto, type MosquittoServer } from '../../../test/services/mosquitto-server.ts';
import { Quality, QualityReason, type DataFrame } from '../../../proto/generated/frame.ts';
import { Payload, type Payload_Metric } from '../../../proto/generated/sparkplug_b.ts';
import type { Device } from '../../db/repositories/devices-repository.ts';
import type { Tag } from '../../db/repositories/tags-repository.ts';
import { deviceStatuses } from '../../api/drivers-router.ts';

function valueOf(frame: DataFrame | undefined): unknown {
  return frame?.value?.kind?.value;
}

const T0 = 1_700_000_000_000n;

function payload(seq: number, metrics: Payload_Metric[]): Buffer {
  return Buffer.from(Payload.encode({ timestamp: T0 + 1n, seq: BigInt(seq), metrics }).finish());
}

const BIRTH: Payload_Metric[] = [
  { name: 'bdSeq', datatype: 8, value: { $case: 'longValue', value: 3n } },
  { name: 'Temperature', alias: 1n, datatype: 10, timestamp: T0, value: { $case: 'doubleValue', value: 21.5 } },
  // -5 as Int64 travels as its two's complement in the uint64 field
  { name: 'Counter', alias: 2n, datatype: 4, value: { $case: 'longValue', value: 2n ** 64n - 5n } },
  { name: 'Total', alias: 3n, datatype: 8, value: { $case: 'longValue', value: 2n ** 64n - 1n } },
  { name: 'Started', alias: 4n, datatype: 13, value: { $case: 'longValue', value: T0 } },
  { name: 'Running', alias: 5n, datatype: 11, value: { $case: 'booleanValue', value: true } },
  { name: 'Recipe', alias: 6n, datatype: 12, value: { $case: 'stringValue', value: 'Batch-9' } },
  // -2 as Int8, sign-extended to 32 bits as most publishers send it
  { name: 'Offset', alias: 7n, datatype: 1, value: { $case: 'intValue', value: 0xfffffffe } },
  { name: 'Blob', alias: 8n, datatype: 17, value: { $case: 'bytesValue', value: new Uint8Array([1, 2, 3]) } },
  { name: 'Node Control/Rebirth', alias: 9n, datatype: 11, value: { $case: 'booleanValue', value: false } },
];

const broker = await startMosquitto();

describe.skipIf(!broker)('Sparkplug B through the MQTT driver against Mosquitto', () => {
  const server = broker as MosquittoServer;
  let gateway: MqttTestGateway;
  let edge: MqttClient;
  const commands: Array<{ topic: string; payload: Payload }> = [];
  const sink = new CollectingFrameSink();
  let tags: Record<string, Tag>;
  let device: Device;

  const latest = (name: string) => sink.latest(tags[name]!.id);
  const reason = () => gateway.reasonOf(device.id) ?? '';
  const publish = (topic: string, body: Buffer) => edge.publishAsync(`spBv1.0/Plant1/${topic}`, body, { qos: 1 });

  beforeAll(async () => {
    edge = await mqtt.connectAsync(server.url, { reconnectPeriod: 100 });
    await edge.subscribeAsync('spBv1.0/Plant1/NCMD/Edge1', { qos: 1 });
    edge.on('message', (topic, body) => commands.push({ topic, payload: Payload.decode(body) }));
    const node = 'spBv1.0/Plant1/Edge1';
    gateway = await startMqttTestGateway(sink, server.url, [
      {
        name: 'Sparkplug broker',
        config: { qos: 1, sparkplug: { allowCommands: true } },
        tags: [
          { name: 'temperature', address: `${node}|Temperature`, dataType: 'Double' },
          { name: 'counter', address: `${node}|Counter`, dataType: 'Int64' },
          { name: 'total', address: `${node}|Total`, dataType: 'UInt64' },
          { name: 'started', address: `${node}|Started`, dataType: 'DateTime' },
          { name: 'running', address: `${node}|Running`, dataType: 'Boolean' },
          { name: 'recipe', address: `${node}|Recipe`, dataType: 'String' },
          { name: 'offset', address: `${node}|Offset`, dataType: 'Int8' },
          { name: 'blob', address: `${node}|Blob`, dataType: 'ByteArray' },
          { name: 'totalAsInt16', address: `${node}|Total`, dataType: 'Int16' },
          { name: 'missing', address: `${node}|Humidity`, dataType: 'Double' },
          { name: 'pressure', address: `${node}/Boiler|Pressure`, dataType: 'Float' },
          { name: 'status', address: `${node}/Boiler|Status`, dataType: 'Int32' },
          { name: 'wildcard', address: 'spBv1.0/Plant1/+|Temperature', dataType: 'Double' },
        ],
      },
    ]);
    ({ tags } = gateway);
    device = gateway.devices['Sparkplug broker']!;
  }, 60_000);

  afterAll(async () => {
    await edge?.endAsync(true);
    await gateway?.stop();
    await server?.stop();
  });

  it('types the metrics of an NBIRTH and a DBIRTH into the tags, with metric timestamps', async () => {
    await publish('NBIRTH/Edge1', payload(0, BIRTH));
    await publish(
      'DBIRTH/Edge1/Boiler',
      payload(1, [
        { name: 'Pressure', alias: 100n, datatype: 9, value: { $case: 'floatValue', value: 2.5 } },
        { name: 'Status', alias: 101n, datatype: 3, isNull: true, value: undefined },
      ]),
    );
    await sink.until(() => valueOf(latest('pressure')) === 2.5, 'the DBIRTH');
    expect(latest('temperature')).toMatchObject({ quality: Quality.QUALITY_GOOD, sourceTimestamp: T0 * 1_000_000n });
    expect(valueOf(latest('temperature'))).toBe(21.5);
    // Metrics without their own timestamp take the payload's
    expect(latest('counter')?.sourceTimestamp).toBe((T0 + 1n) * 1_000_000n);
    expect(valueOf(latest('counter'))).toBe(-5n);
    expect(valueOf(latest('total'))).toBe(2n ** 64n - 1n);
    expect(valueOf(latest('started'))).toBe(Number(T0));
    expect(valueOf(latest('running'))).toBe(true);
    expect(valueOf(latest('recipe'))).toBe('Batch-9');
    expect(valueOf(latest('offset'))).toBe(-2n);
    expect(valueOf(latest('blob'))).toEqual(new Uint8Array([1, 2, 3]));
    expect(latest('totalAsInt16')?.qualityReason).toBe(QualityReason.QUALITY_REASON_DECODE_ERROR);
    expect(gateway.manager.tagProblem(device.id, tags.totalAsInt16!.id)).toMatch(
      /UInt64 value \(18446744073709551615\) does not fit a Int16 tag/,
    );
    expect(latest('missing')?.qualityReason).toBe(QualityReason.QUALITY_REASON_CONFIG_ERROR);
    expect(gateway.manager.tagProblem(device.id, tags.missing!.id)).toMatch(
      /metric 'Humidity' is not in the NBIRTH of Plant1\/Edge1 \(it has 'bdSeq', 'Temperature'/,
    );
    expect(latest('status')).toMatchObject({
      quality: Quality.QUALITY_BAD,
      qualityReason: QualityReason.QUALITY_REASON_DEVICE_FAILURE,
    });
    expect(gateway.manager.tagProblem(device.id, tags.status!.id)).toMatch(/'Status' of Plant1\/Edge1\/Boiler is null/);
    expect(latest('wildcard')?.qualityReason).toBe(QualityReason.QUALITY_REASON_CONFIG_ERROR);
    expect(gateway.manager.tagProblem(device.id, tags.wildcard!.id)).toMatch(/no wildcards/);
  });

  it('resolves DATA metrics that carry only their alias, by the BIRTH', async () => {
    await publish(
      'NDATA/Edge1',
      payload(2, [
        { alias: 1n, timestamp: T0 + 5000n, value: { $case: 'doubleValue', value: 22.75 } },
        { alias: 2n, value: { $case: 'longValue', value: 2n ** 63n } }, // Int64 minimum
      ]),
    );
    await publish(
      'DDATA/Edge1/Boiler',
      payload(3, [
        { alias: 100n, value: { $case: 'floatValue', value: 3 } },
        { alias: 101n, value: { $case: 'intValue', value: 0xffffffff } }, // Int32 -1: no longer null
      ]),
    );
    await sink.until(() => valueOf(latest('status')) === -1n, 'the DDATA');
    expect(valueOf(latest('temperature'))).toBe(22.75);
    expect(latest('temperature')?.sourceTimestamp).toBe((T0 + 5000n) * 1_000_000n);
    expect(valueOf(latest('counter'))).toBe(-(2n ** 63n));
    expect(valueOf(latest('pressure'))).toBe(3);
    expect(latest('pressure')?.quality).toBe(Quality.QUALITY_GOOD);
    expect(reason()).toBe('');
  });

  it('turns the node Uncertain on a seq gap and asks for a Rebirth; the NBIRTH makes it Good again', async () => {
    // connecting, the driver asked the node (not seen born yet) for a Rebirth at once
    expect(commands.map((c) => c.topic)).toEqual(['spBv1.0/Plant1/NCMD/Edge1']);
    await publish('NDATA/Edge1', payload(7, [{ alias: 3n, value: { $case: 'longValue', value: 42n } }]));
    await sink.until(() => latest('temperature')?.quality === Quality.QUALITY_UNCERTAIN, 'the gap');
    expect(valueOf(latest('temperature'))).toBe(22.75); // the last value, now in doubt
    expect(latest('temperature')?.qualityReason).toBe(QualityReason.QUALITY_REASON_STALE);
    expect(latest('total')).toMatchObject({ quality: Quality.QUALITY_UNCERTAIN });
    expect(valueOf(latest('total'))).toBe(42n);
    expect(latest('pressure')?.quality).toBe(Quality.QUALITY_UNCERTAIN);
    expect(reason()).toMatch(/seq 7 from Plant1\/Edge1 after 3: messages were lost; a Rebirth was requested/);
    await sink.until(() => commands.length > 1, 'the Rebirth request');
    expect(commands[1]!.topic).toBe('spBv1.0/Plant1/NCMD/Edge1');
    expect(commands[1]!.payload.metrics).toEqual([
      expect.objectContaining({
        name: 'Node Control/Rebirth',
        datatype: 11,
        value: { $case: 'booleanValue', value: true },
      }),
    ]);

    await publish(
      'NBIRTH/Edge1',
      payload(
        0,
        BIRTH.map((m) => (m.name === 'bdSeq' ? { ...m, value: { $case: 'longValue', value: 4n } } : m)),
      ),
    );
    await sink.until(() => latest('temperature')?.quality === Quality.QUALITY_GOOD, 'the rebirth');
    expect(valueOf(latest('temperature'))).toBe(21.5);
    expect(commands).toHaveLength(2);
  });

  it('counts a malformed payload, names it in the device last error and keeps running', async () => {
    const before = (await deviceStatuses(gateway.repos, gateway.manager, new Set([device.id])))[0]!.runtime!.counters;
    await publish('NDATA/Edge1', Buffer.from([0x12, 0xff, 0xff, 0xff, 0xff]));
    await sink.until(() => /malformed Sparkplug payload/.test(reason()), 'the malformed payload');
    expect(reason()).toMatch(
      /malformed Sparkplug payload on 'spBv1\.0\/Plant1\/NDATA\/Edge1': not a Sparkplug B payload/,
    );
    const [view] = await deviceStatuses(gateway.repos, gateway.manager, new Set([device.id]));
    expect(view?.reason).toBe(reason());
    expect(view?.status).toBe('Online');
    expect(view?.runtime?.counters.malformed).toBe(before.malformed! + 1);
    expect(view?.runtime?.state).toBe('polling');
    expect(latest('temperature')?.quality).toBe(Quality.QUALITY_UNCERTAIN);
  });

  it('after the gateway reconnects, holds the values Uncertain until the seq shows nothing was missed', async () => {
    await publish('NBIRTH/Edge1', payload(0, BIRTH));
    await publish(
      'DBIRTH/Edge1/Boiler',
      payload(1, [{ name: 'Pressure', alias: 100n, datatype: 9, value: { $case: 'floatValue', value: 4.5 } }]),
    );
    await sink.until(() => valueOf(latest('pressure')) === 4.5, 'the births');
    expect(latest('temperature')?.quality).toBe(Quality.QUALITY_GOOD);
    await server.stopServer();
    await sink.until(() => latest('temperature')?.quality === Quality.QUALITY_BAD, 'the lost connection');
    await server.startServer();
    await sink.until(() => latest('temperature')?.quality === Quality.QUALITY_UNCERTAIN, 'the reconnection', 15_000);
    expect(valueOf(latest('temperature'))).toBe(21.5);
    await sink.until(() => edge.connected, 'the edge node to reconnect');
    // report by exception: only Total changed, and seq 2 follows the DBIRTH's 1
    await publish('NDATA/Edge1', payload(2, [{ alias: 3n, value: { $case: 'longValue', value: 7n } }]));
    await sink.until(() => valueOf(latest('total')) === 7n, 'the NDATA');
    for (const name of ['total', 'temperature', 'pressure']) expect(latest(name)?.quality).toBe(Quality.QUALITY_GOOD);
    expect(valueOf(latest('temperature'))).toBe(21.5);
  }, 30_000);

  it('turns every tag of the node and its devices Bad on NDEATH, ignoring a stale one', async () => {
    await publish(
      'NBIRTH/Edge1',
      payload(
        0,
        BIRTH.map((m) => (m.name === 'bdSeq' ? { ...m, value: { $case: 'longValue', value: 5n } } : m)),
      ),
    );
    await publish(
      'DBIRTH/Edge1/Boiler',
      payload(1, [{ name: 'Pressure', alias: 100n, datatype: 9, value: { $case: 'floatValue', value: 4.5 } }]),
    );
    await sink.until(() => valueOf(latest('pressure')) === 4.5, 'the rebirth');
    const stale = Payload.encode({
      metrics: [{ name: 'bdSeq', datatype: 8, value: { $case: 'longValue', value: 4n } }],
    });
    await publish('NDEATH/Edge1', Buffer.from(stale.finish()));
    // The stale NDEATH (bdSeq 4, a late Will) changed nothing: the node's next NDATA is Good.
    await publish('NDATA/Edge1', payload(2, [{ alias: 1n, value: { $case: 'doubleValue', value: 30 } }]));
    await sink.until(() => valueOf(latest('temperature')) === 30, 'the NDATA after the stale NDEATH');
    expect(latest('temperature')?.quality).toBe(Quality.QUALITY_GOOD);
    expect(latest('pressure')?.quality).toBe(Quality.QUALITY_GOOD);
    const death = Payload.encode({
      metrics: [{ name: 'bdSeq', datatype: 8, value: { $case: 'longValue', value: 5n } }],
    });
    await publish('NDEATH/Edge1', Buffer.from(death.finish()));
    await sink.until(() => latest('temperature')?.quality === Quality.QUALITY_BAD, 'the NDEATH');
    for (const name of ['temperature', 'counter', 'pressure']) {
      expect(latest(name)?.qualityReason).toBe(QualityReason.QUALITY_REASON_NOT_CONNECTED);
      expect(gateway.manager.tagProblem(device.id, tags[name]!.id)).toMatch(
        /Sparkplug node offline \(NDEATH of Plant1\/Edge1\)/,
      );
    }
  });
});
