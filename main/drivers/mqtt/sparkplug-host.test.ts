// The Sparkplug host's bookkeeping without a broker: addresses, DATA before BIRTH, unknown
// aliases, Rebirth requests only when allowed and not more often than the interval.
import { describe, expect, it } from 'vitest';
import { Quality, QualityReason } from '../../../proto/generated/frame.ts';
import { Payload, type Payload_Metric } from '../../../proto/generated/sparkplug_b.ts';
import type { DriverTag } from '../driver-contract.ts';
import { MappingError } from './mqtt-topic-mapping.ts';
import { parseSparkplugAddress, parseSparkplugTopic } from './sparkplug-address.ts';
import { SparkplugHost } from './sparkplug-host.ts';

const tag: DriverTag = {
  id: 't1',
  name: 'level',
  address: 'spBv1.0/G/N|Tank/Level',
  dataType: 'Double',
  accessType: 'Read',
};
const host = (allowCommands: boolean) =>
  new SparkplugHost([{ tag, address: parseSparkplugAddress(tag.address) }], { allowCommands, rebirthIntervalMs: 1000 });
const body = (seq: number, metrics: Payload_Metric[]) => Payload.encode({ seq: BigInt(seq), metrics }).finish();
const level = (value: number, named = false): Payload_Metric => ({
  ...(named ? { name: 'Tank/Level', datatype: 10 } : {}),
  alias: 1n,
  value: { $case: 'doubleValue', value },
});

describe('Sparkplug addresses', () => {
  it('reads node and device addresses, metric names with "/" and "|"', () => {
    expect(parseSparkplugAddress('spBv1.0/Plant 1/Edge-1|Node Control/Rebirth')).toEqual({
      group: 'Plant 1',
      node: 'Edge-1',
      device: undefined,
      metric: 'Node Control/Rebirth',
    });
    expect(parseSparkplugAddress('spBv1.0/G/N/D|a|b').device).toBe('D');
    expect(() => parseSparkplugAddress('spBv1.0/G/N')).toThrow(/name the metric after "\|"/);
    expect(() => parseSparkplugAddress('spBv1.0/G/#|x')).toThrow(MappingError);
    expect(() => parseSparkplugAddress('spBv1.0/G/N/D/E|x')).toThrow(/not spBv1.0\/<group>/);
  });

  it('reads topics, and leaves STATE and foreign topics alone', () => {
    expect(parseSparkplugTopic('spBv1.0/G/DDATA/N/D')).toEqual({ group: 'G', type: 'DDATA', node: 'N', device: 'D' });
    expect(parseSparkplugTopic('spBv1.0/STATE/host')).toBeUndefined();
    expect(parseSparkplugTopic('spBv1.0/G/NDATA/N/D')).toBeUndefined();
    expect(parseSparkplugTopic('plant/line1')).toBeUndefined();
  });
});

describe('the Sparkplug host', () => {
  it('says DATA came before BIRTH and how to get values when commands are not allowed', () => {
    const h = host(false);
    const outcome = h.onMessage('spBv1.0/G/NDATA/N', body(5, [level(2, true)]), 1e6, 0)!;
    expect(outcome.rebirth).toBeUndefined();
    expect(outcome.problem).toMatch(/NDATA from G\/N before its NBIRTH .*\(set config\.mqtt\.sparkplug\.allowCommands/);
    // named metrics are still read, in doubt
    expect(outcome.readings).toEqual([
      { tagId: 't1', ok: true, raw: 2, quality: Quality.QUALITY_UNCERTAIN, reason: QualityReason.QUALITY_REASON_STALE },
    ]);
    expect(h.onMessage('spBv1.0/G/NDATA/Other', body(0, []), 1e6)).toBeUndefined();
  });

  it('asks for a Rebirth at most once per interval, and again after it', () => {
    const h = host(true);
    expect(h.onMessage('spBv1.0/G/NDATA/N', body(1, [level(1)]), 1e6, 0)?.rebirth?.topic).toBe('spBv1.0/G/NCMD/N');
    expect(h.onMessage('spBv1.0/G/NDATA/N', body(2, [level(1)]), 1e6, 500)?.rebirth).toBeUndefined();
    expect(h.onMessage('spBv1.0/G/NDATA/N', body(3, [level(1)]), 1e6, 1000)?.rebirth).toBeDefined();
  });

  it('treats an alias the BIRTH did not define, and an oversized payload, as lost messages', () => {
    const h = host(true);
    expect(h.onMessage('spBv1.0/G/NBIRTH/N', body(0, [level(1, true)]), 1e6, 0)?.readings).toEqual([
      { tagId: 't1', ok: true, raw: 1 },
    ]);
    const unknown = h.onMessage(
      'spBv1.0/G/NDATA/N',
      body(1, [{ alias: 9n, value: { $case: 'intValue', value: 1 } }]),
      1e6,
      0,
    )!;
    expect(unknown.problem).toMatch(/NDATA from G\/N carries alias 9 that its BIRTH did not define/);
    expect(unknown.readings).toEqual([
      { tagId: 't1', ok: true, raw: 1, quality: Quality.QUALITY_UNCERTAIN, reason: QualityReason.QUALITY_REASON_STALE },
    ]);
    const big = h.onMessage('spBv1.0/G/NDATA/N', new Uint8Array(64), 32, 5000)!;
    expect(big).toMatchObject({ oversized: true, malformed: false });
    expect(big.problem).toMatch(/64 bytes .* exceeds config\.mqtt\.maxPayloadBytes \(32\)/);
  });

  it('refuses a DataSet metric on a tag with the reason, and never throws', () => {
    const h = host(false);
    // field 17 (dataset_value) is skipped by the decoder: the metric arrives without a value
    const outcome = h.onMessage(
      'spBv1.0/G/NBIRTH/N',
      body(0, [{ name: 'Tank/Level', datatype: 16, value: undefined }]),
      1e6,
    )!;
    expect(outcome.readings).toEqual([
      expect.objectContaining({
        ok: false,
        reason: QualityReason.QUALITY_REASON_DECODE_ERROR,
        message: "tag 'level': metric 'Tank/Level' of G/N carries no value a tag can take (DataSet)",
      }),
    ]);
  });

  it('takes alias 0 as an alias, and a node without aliases by metric names', () => {
    const zero = host(false);
    const metric = (name: string, alias: bigint, value: number): Payload_Metric => ({
      name,
      alias,
      datatype: 10,
      value: { $case: 'doubleValue', value },
    });
    zero.onMessage('spBv1.0/G/NBIRTH/N', body(0, [metric('Tank/Level', 0n, 1), metric('Other', 1n, 2)]), 1e6);
    const byZero = zero.onMessage(
      'spBv1.0/G/NDATA/N',
      body(1, [{ alias: 0n, value: { $case: 'doubleValue', value: 5 } }]),
      1e6,
    );
    expect(byZero).toMatchObject({ readings: [{ tagId: 't1', ok: true, raw: 5 }] });
    expect(byZero?.problem).toBeUndefined();
    // no aliases: every metric has alias 0 on the wire, DATA names its metrics
    const named = host(false);
    named.onMessage('spBv1.0/G/NBIRTH/N', body(0, [metric('Other', 0n, 2), metric('Tank/Level', 0n, 1)]), 1e6);
    const byName = named.onMessage('spBv1.0/G/NDATA/N', body(1, [metric('Tank/Level', 0n, 6)]), 1e6);
    expect(byName).toMatchObject({ readings: [{ tagId: 't1', ok: true, raw: 6 }] });
    expect(byName?.problem).toBeUndefined();
    const ambiguous = named.onMessage(
      'spBv1.0/G/NDATA/N',
      body(2, [{ alias: 0n, value: { $case: 'doubleValue', value: 7 } }]),
      1e6,
    );
    expect(ambiguous?.problem).toMatch(/carries alias 0 that its BIRTH did not define/);
  });

  it('subscribes to every message type of the node and its devices, and names a refused one', () => {
    const h = host(false);
    expect(h.filters()).toEqual([
      'spBv1.0/G/NBIRTH/N',
      'spBv1.0/G/NDATA/N',
      'spBv1.0/G/NDEATH/N',
      'spBv1.0/G/DBIRTH/N/+',
      'spBv1.0/G/DDATA/N/+',
      'spBv1.0/G/DDEATH/N/+',
    ]);
    expect(h.refused(new Set(['spBv1.0/G/NDATA/N']))).toEqual([
      expect.objectContaining({
        tagId: 't1',
        ok: false,
        message: "tag 'level': the broker refused the subscription to 'spBv1.0/G/NDATA/N' (not allowed for this user?)",
      }),
    ]);
    expect(h.refused(new Set(['spBv1.0/G/DDATA/N/+']))).toEqual([]);
  });

  it('follows seq across 255 → 0 without calling it a gap', () => {
    const h = host(true);
    h.onMessage('spBv1.0/G/NBIRTH/N', body(0, [level(1, true)]), 1e6, 0);
    for (let seq = 1; seq <= 255; seq++) h.onMessage('spBv1.0/G/NDATA/N', body(seq, [level(seq)]), 1e6, 0);
    const wrapped = h.onMessage('spBv1.0/G/NDATA/N', body(0, [level(0.5)]), 1e6, 0)!;
    expect(wrapped.problem).toBeUndefined();
    expect(wrapped.readings).toEqual([{ tagId: 't1', ok: true, raw: 0.5 }]);
  });
});
