import { describe, expect, it } from 'vitest';
import { LineBatch, LineBatchBuilder } from './influx-line-batch.ts';

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

describe('LineBatchBuilder', () => {
  it('writes the encoded prefix and the ASCII rest of each line, growing past its capacity', () => {
    const builder = new LineBatchBuilder(8);
    const prefix = Buffer.from('device_data,unit=°C ');
    for (let i = 0; i < 100; i++) builder.add(prefix, `value=${i} ${i}`);
    const batch = builder.take();
    expect(batch.count).toBe(100);
    expect(batch.line(0)).toBe('device_data,unit=°C value=0 0');
    expect(batch.line(99)).toBe('device_data,unit=°C value=99 99');
    expect(batch.bytes.toString().split('\n')).toHaveLength(101);
    // the next batch starts empty, in a buffer of its own
    builder.add(prefix, 'value=1 1');
    expect(builder.take().bytes.toString()).toBe('device_data,unit=°C value=1 1\n');
    expect(batch.line(0)).toBe('device_data,unit=°C value=0 0');
  });
});
