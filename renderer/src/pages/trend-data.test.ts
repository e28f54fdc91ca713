// The Trends screen's data handling: pens merged into chart rows with gaps, one axis per unit,
// live values folded into buckets, the rolling window, and the value under the cursor.
import { describe, expect, it } from 'vitest';
import {
  addLiveValue,
  axisDomain,
  dropBefore,
  nextColor,
  PEN_COLORS,
  penPaths,
  showsRawSamples,
  unitAxes,
  valueAt,
  type PenSeries,
} from './trend-data.ts';

function pen(tagId: string, unit: string, t: number[], values: number[], bucketMs = 10): PenSeries {
  return {
    tagId,
    tagName: tagId,
    deviceName: 'PLC',
    unit,
    color: '#000000',
    bucketMs,
    t: [...t],
    min: values.map((v) => v - 1),
    max: values.map((v) => v + 1),
    mean: [...values],
    liveCount: t.map(() => 0),
  };
}

describe('trend data', () => {
  const same = (value: number) => value;

  it('draws a pen as a line of means and a band from min to max', () => {
    const p = pen('a', '°C', [0, 10, 20], [1, 2, 3]);
    expect(penPaths(p, same, same, 0, 30)).toEqual({
      line: 'M0,1L10,2L20,3',
      band: 'M0,2L10,3L20,4L20,2L10,1L0,0Z',
    });
    // on the chart's scales (time to x, value to y: down the screen)
    expect(
      penPaths(
        p,
        (t) => t * 2,
        (v) => 100 - v,
        0,
        30,
      ).line,
    ).toBe('M0,99L20,98L40,97');
    // no band where no bucket holds two different values
    const flat = { ...p, min: [1, 2, 3], max: [1, 2, 3] };
    expect(penPaths(flat, same, same, 0, 30).band).toBe('');
    expect(penPaths(pen('b', '', [], []), same, same, 0, 30)).toEqual({ line: '', band: '' });
  });

  it('joins buckets as far apart as the tag is usually scanned, and breaks the line beyond', () => {
    // scanned every 30 ms in 10-ms buckets: no gaps; then 200 ms without values: a gap
    const p = pen('a', '', [0, 30, 60, 90, 120, 320, 350], [1, 2, 3, 4, 5, 6, 7]);
    const { line, band } = penPaths(p, same, same, 0, 400);
    expect(line).toBe('M0,1L30,2L60,3L90,4L120,5M320,6L350,7');
    expect(band.match(/Z/g)).toHaveLength(2);
    expect(valueAt(p, 45)?.mean).toBe(2);
  });

  it('leaves out buckets outside the window but the one on either side, which runs to the edge', () => {
    const p = pen('a', '', [0, 10, 20, 30, 40, 50], [1, 2, 3, 4, 5, 6]);
    expect(penPaths(p, same, same, 25, 35).line).toBe('M20,3L30,4L40,5');
    expect(penPaths(p, same, same, 20, 30).line).toBe('M20,3L30,4');
  });

  it('gives an axis a round range around its pens, and a flat line a range around it', () => {
    expect(axisDomain([pen('a', '', [0, 10], [58.2, 71.9])])).toEqual([55, 75]);
    expect(axisDomain([pen('a', '', [0], [2]), pen('b', '', [0], [-2])])).toEqual([-4, 4]);
    expect(axisDomain([{ min: [70], max: [70] }])).toEqual([60, 80]);
    expect(axisDomain([{ min: [0], max: [0] }])).toEqual([-1, 1]);
    expect(axisDomain([{ min: [], max: [] }])).toBeUndefined();
  });

  it('gives pens that share a unit one axis', () => {
    const axes = unitAxes([
      { unit: '°C', color: '#1' },
      { unit: 'bar', color: '#2' },
      { unit: '°C', color: '#3' },
      { unit: '', color: '#4' },
    ]);
    expect(axes).toEqual([
      { unit: '°C', color: '#1' },
      { unit: 'bar', color: '#2' },
      { unit: '', color: '#4' },
    ]);
  });

  it('folds live values into the last bucket or a new one, and ignores older ones', () => {
    const p = pen('a', '', [0, 10], [5, 6]);
    addLiveValue(p, 15, 10); // the gateway's bucket counts as one sample: mean (6 + 10) / 2
    expect([p.mean[1], p.min[1], p.max[1]]).toEqual([8, 5, 10]);
    addLiveValue(p, 17, 2); // two live samples now: (8 * 1 ... ) weighted by the live count
    expect(p.min[1]).toBe(2);
    addLiveValue(p, 23, 4);
    expect(p.t).toEqual([0, 10, 20]);
    expect([p.mean[2], p.min[2], p.max[2], p.liveCount[2]]).toEqual([4, 4, 4, 1]);
    addLiveValue(p, 3, 100); // older than the chart's last bucket: the gateway already has it
    expect(p.max).not.toContain(100);
  });

  it('drops buckets that left a rolling window', () => {
    const p = pen('a', '', [0, 10, 20, 30], [1, 2, 3, 4]);
    dropBefore(p, 20);
    expect(p.t).toEqual([20, 30]);
    expect(p.mean).toEqual([3, 4]);
    expect(p.liveCount).toHaveLength(2);
  });

  it('reads the bucket under the cursor, and nothing in a gap', () => {
    const p = pen('a', '', [0, 10, 20, 30, 80], [1, 2, 3, 4, 5]);
    expect(valueAt(p, 12)).toEqual({ mean: 2, min: 1, max: 3 });
    expect(valueAt(p, 10)?.mean).toBe(2);
    expect(valueAt(p, 9)?.mean).toBe(1);
    expect(valueAt(p, 45)).toBeUndefined();
    expect(valueAt(p, 55)).toBeUndefined();
    expect(valueAt(p, -1)).toBeUndefined();
    expect(valueAt(pen('b', '', [], []), 5)).toBeUndefined();
  });

  it('says the chart shows raw samples only when the buckets are finer than the data', () => {
    // 1 s samples in 42 ms buckets: one sample per bucket, buckets far apart
    const raw = { ...pen('a', '', [0, 1000, 2000, 3000], [1, 2, 3, 4], 42) };
    raw.min = [...raw.mean];
    raw.max = [...raw.mean];
    expect(showsRawSamples([raw])).toBe(true);
    // every bucket filled, with a band: downsampled
    expect(showsRawSamples([pen('b', '', [0, 10, 20, 30], [1, 2, 3, 4], 10)])).toBe(false);
    // buckets far apart, but one of them holds two different values
    expect(showsRawSamples([pen('c', '', [0, 1000, 2000], [1, 2, 3], 42)])).toBe(false);
    // all pens must be raw; pens with fewer than two buckets say nothing
    expect(showsRawSamples([raw, pen('d', '', [0, 10, 20], [1, 2, 3], 10)])).toBe(false);
    expect(showsRawSamples([raw, pen('e', '', [0], [1], 42)])).toBe(true);
    expect(showsRawSamples([pen('f', '', [0], [1], 42)])).toBe(false);
  });

  it('gives each new pen the first colour no pen uses', () => {
    expect(nextColor([])).toBe(PEN_COLORS[0]);
    expect(nextColor([PEN_COLORS[0]!, PEN_COLORS[2]!])).toBe(PEN_COLORS[1]);
  });
});
