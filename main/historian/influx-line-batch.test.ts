import { describe, expect, it } from 'vitest';
import { LineBatch, LineBatchBuilder, LineBufferPool } from './influx-line-batch.ts';
import { appendDeviceData, deviceDataLine } from './influx-line-protocol.ts';
import type { DevicePoint } from './historian-points.ts';

describe('LineBatch', () => {
  it('holds lines as bytes, each ending in a newline, and gives each back', () => {
    const batch = LineBatch.of(['m,unit=°C value=1 1', 'm value=2 2']);
    expect(batch.count).toBe(2);
    expect(batch.bytes.toString()).toBe('m,unit=°C value=1 1\nm value=2 2\n');
    expect(batch.line(0)).toBe('m,unit=°C value=1 1');
    expect(batch.line(1)).toBe('m value=2 2');
  });

  it('halves into batches over the same bytes', () => {
    const batch = LineBatch.of(['a', 'bb', 'ccc', 'dddd']);
    const second = batch.slice(2, 4);
    expect(second.count).toBe(2);
    expect(second.bytes.toString()).toBe('ccc\ndddd\n');
    expect(second.line(1)).toBe('dddd');
    expect(batch.slice(0, 2).slice(1, 2).line(0)).toBe('bb');
  });
});

function point(value: number, rawValue = value, extra: Partial<DevicePoint> = {}): DevicePoint {
  return {
    tagId: 't',
    deviceId: 'd',
    timeNs: 1_764_170_000_123_456_789n,
    value,
    rawValue,
    quality: 0,
    errorCode: 0,
    ...extra,
  };
}

describe('LineBatchBuilder', () => {
  it('writes the encoded prefix and the fields of each line, growing past its buffer', () => {
    const pool = new LineBufferPool(300);
    const builder = new LineBatchBuilder(pool);
    const prefix = Buffer.from('device_data,unit=°C ');
    for (let i = 0; i < 100; i++) appendDeviceData(builder, prefix, point(i, i, { timeNs: BigInt(i) }));
    const batch = builder.take();
    expect(batch.count).toBe(100);
    expect(batch.line(0)).toBe('device_data,unit=°C value=0,raw_value=0,quality=0i,error_code=0i 0');
    expect(batch.line(99)).toBe('device_data,unit=°C value=99,raw_value=99,quality=0i,error_code=0i 99');
    expect(batch.bytes.toString().split('\n')).toHaveLength(101);
    // the next batch starts empty, in a buffer of its own
    appendDeviceData(builder, prefix, point(1, 1, { timeNs: 1n }));
    const next = builder.take();
    expect(next.bytes.toString()).toBe('device_data,unit=°C value=1,raw_value=1,quality=0i,error_code=0i 1\n');
    expect(batch.line(0)).toBe('device_data,unit=°C value=0,raw_value=0,quality=0i,error_code=0i 0');
  });

  it('reuses a released buffer for a later batch', () => {
    const pool = new LineBufferPool(4096);
    const builder = new LineBatchBuilder(pool);
    const prefix = Buffer.from('m ');
    appendDeviceData(builder, prefix, point(1));
    const first = builder.take();
    const firstBuffer = first.bytes.buffer;
    first.release();
    first.release(); // twice is harmless: the buffer is pooled once
    appendDeviceData(builder, prefix, point(2));
    builder.take(); // in the buffer taken after the first batch
    appendDeviceData(builder, prefix, point(3));
    const third = builder.take();
    expect(third.bytes.buffer).toBe(firstBuffer);
    expect(third.line(0)).toBe('m value=3,raw_value=3,quality=0i,error_code=0i 1764170000123456789');
  });

  it('writes every kind of number exactly as the text line does', () => {
    const values = [
      0,
      -0,
      1,
      -1,
      7,
      10,
      99,
      100,
      12_345,
      -98_765,
      2 ** 31,
      2 ** 53 - 1,
      999_999_999_999_999,
      1e15,
      -1e15,
      1e21,
      1.5,
      -0.25,
      0.1 + 0.2,
      20 + 10 * Math.sin(7),
      1e-7,
      -3.4e-300,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      Math.PI * 1e10,
    ];
    const prefix = Buffer.from('device_data,tag_name=t ');
    const builder = new LineBatchBuilder(new LineBufferPool(64));
    const expected: string[] = [];
    for (const value of values) {
      for (const raw of [value, value * 10, Number.NaN]) {
        const p = point(value, raw, { quality: 2, errorCode: 4_000_000_000 });
        expect(appendDeviceData(builder, prefix, p)).toBe(true);
        expected.push(deviceDataLine('device_data,tag_name=t', p)!);
      }
    }
    expect(appendDeviceData(builder, prefix, point(Number.POSITIVE_INFINITY))).toBe(false);
    expect(appendDeviceData(builder, prefix, point(Number.NaN))).toBe(false);
    const batch = builder.take();
    expect(batch.bytes.toString()).toBe(`${expected.join('\n')}\n`);
  });
});

describe('LineBatchBuilder numbers and times', () => {
  const prefix = Buffer.from('m ');

  it('writes short decimals as String() does, and every double so that it reads back the same', () => {
    const values: number[] = [0.5, -0.5, 21.5, 0.1, 0.000001, -0.000001, 999_999_999.5, 1e9 + 0.5, 123.456789];
    for (let i = 0; i < 2000; i++) {
      values.push(Math.round((Math.random() - 0.5) * 10 ** (i % 12)) / 10 ** (i % 8));
      values.push((Math.random() - 0.5) * 10 ** ((i % 30) - 10));
    }
    const builder = new LineBatchBuilder(new LineBufferPool(1 << 16));
    for (const value of values) appendDeviceData(builder, prefix, point(value));
    const batch = builder.take();
    values.forEach((value, i) => {
      const written = /^m value=([^,]+),/.exec(batch.line(i))![1]!;
      expect(written).toBe(String(value));
      expect(Number(written) === value).toBe(true); // -0 reads back as 0, as String(-0) is "0"
    });
  });

  it('writes a time again after other times, and times of every size', () => {
    const times = [1n, 1n, 1_764_170_000_123_456_789n, 1_764_170_000_123_456_789n, 7n, 2n ** 64n - 1n, 0n, -5n, 7n];
    const builder = new LineBatchBuilder(new LineBufferPool(4096));
    for (const timeNs of times) appendDeviceData(builder, prefix, point(1, 1, { timeNs }));
    const batch = builder.take();
    times.forEach((timeNs, i) =>
      expect(batch.line(i)).toBe(`m value=1,raw_value=1,quality=0i,error_code=0i ${timeNs}`),
    );
  });
});
