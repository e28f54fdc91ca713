// The MQTT explorer's sniffing of Sparkplug B against Mosquitto: a BIRTH's metrics decoded with
// names, datatypes, values and the tag addresses that map them; a DATA message's aliases named
// from that BIRTH; a malformed payload described, not thrown.
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { startMosquitto, type MosquittoServer } from '../../../test/services/mosquitto-server.ts';
import { Payload } from '../../../proto/generated/sparkplug_b.ts';
import { sniffTopics } from './mqtt-sniffer.ts';

const broker = await startMosquitto();

describe.skipIf(!broker)('sniffing Sparkplug B', () => {
  const server = broker as MosquittoServer;
  afterAll(async () => {
    await server.stop();
  });

  it('shows the metrics of BIRTH and DATA messages instead of binary', async () => {
    const edge = await mqtt.connectAsync(server.url);
    const sniffing = sniffTopics({ endpoint: server.url, filter: 'spBv1.0/#', durationMs: 800, maxMessages: 10 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const birth = Payload.encode({
      seq: 0n,
      metrics: [
        { name: 'Tank/Level', alias: 1n, datatype: 10, value: { $case: 'doubleValue', value: 3.25 } },
        { name: 'Energy', alias: 2n, datatype: 8, value: { $case: 'longValue', value: 2n ** 64n - 1n } },
        { name: 'Since', alias: 3n, datatype: 13, value: { $case: 'longValue', value: 1_700_000_000_000n } },
        { name: 'Fault', alias: 4n, datatype: 12, isNull: true, value: undefined },
      ],
    }).finish();
    await edge.publishAsync('spBv1.0/Plant1/DBIRTH/Edge1/Pump', Buffer.from(birth), { qos: 1 });
    const data = Payload.encode({ seq: 1n, metrics: [{ alias: 1n, value: { $case: 'doubleValue', value: 3.5 } }] });
    await edge.publishAsync('spBv1.0/Plant1/DDATA/Edge1/Pump', Buffer.from(data.finish()), { qos: 1 });
    await edge.publishAsync('spBv1.0/Plant1/NDATA/Edge1', Buffer.from([0x12, 0xff]), { qos: 1 });
    const result = await sniffing;
    await edge.endAsync(true);

    const [birthMessage, dataMessage, broken] = result.messages;
    expect(birthMessage).toMatchObject({ topic: 'spBv1.0/Plant1/DBIRTH/Edge1/Pump', paths: null });
    expect(birthMessage!.preview).toBe(
      'DBIRTH seq 0: Tank/Level=3.25, Energy=18446744073709551615, Since=2023-11-14T22:13:20.000Z, Fault=null',
    );
    expect(birthMessage!.sparkplug).toMatchObject({ type: 'DBIRTH', group: 'Plant1', node: 'Edge1', device: 'Pump' });
    expect(birthMessage!.sparkplug!.metrics).toEqual([
      {
        name: 'Tank/Level',
        alias: '1',
        dataType: 'Double',
        value: 3.25,
        isNull: false,
        timestamp: null,
        address: 'spBv1.0/Plant1/Edge1/Pump|Tank/Level',
        tagDataType: 'Double',
      },
      expect.objectContaining({
        name: 'Energy',
        dataType: 'UInt64',
        value: '18446744073709551615',
        tagDataType: 'UInt64',
      }),
      expect.objectContaining({ name: 'Since', dataType: 'DateTime', value: '2023-11-14T22:13:20.000Z' }),
      expect.objectContaining({ name: 'Fault', dataType: 'String', isNull: true, value: null }),
    ]);
    expect(dataMessage!.sparkplug!.metrics).toEqual([
      expect.objectContaining({ name: 'Tank/Level', alias: '1', dataType: 'Double', value: 3.5 }),
    ]);
    expect(broken!.sparkplug).toMatchObject({
      type: 'NDATA',
      problem: expect.stringMatching(/not a Sparkplug B payload/),
    });
  });
});
