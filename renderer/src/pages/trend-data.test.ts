// The Trends screen's data handling: pens merged into chart rows with gaps, one axis per unit,
// live values folded into buckets, the rolling window, and the value under the cursor.
import { describe, expect, it } from 'vitest';
import {
  addLiveValue,
  chartRows,
  dropBefore,
  nextColor,
  PEN_COLORS,
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
  it('merges pens by bucket time, with a null row where a pen has a gap', () => {
    const a = pen('a', '°C', [0, 10, 20, 50], [1, 2, 3, 4]);
    const b = pen('b', 'bar', [10, 20], [7, 8]);
    const rows = chartRows([a, b], 0, 60);
    expect(rows.map((row) => row.t)).toEqual([0, 10, 20, 30, 50]);
    expect(rows[1]).toEqual({ t: 10, m0: 2, r0: [1, 3], m1: 7, r1: [6, 8] });
    // a's gap from 20 to 50 breaks its line; b simply ends
    expect(rows[3]).toEqual({ t: 30, m0: null, r0: null });
    expect(rows[4]).toEqual({ t: 50, m0: 4, r0: [3, 5] });
    // rows outside the window are left out
    expect(chartRows([a], 25, 60).map((row) => row.t)).toEqual([20, 30, 50]);
  });

  it('joins buckets as far apart as the tag is usually scanned, and breaks the line beyond', () => {
    // scanned every 30 ms in 10-ms buckets: no gaps; then 200 ms without values: a gap
    const p = pen('a', '', [0, 30, 60, 90, 120, 320, 350], [1, 2, 3, 4, 5, 6, 7]);
    const rows = chartRows([p], 0, 400);
    expect(rows.filter((row) => row.m0 === null).map((row) => row.t)).toEqual([130]);
    expect(valueAt(p, 45)?.mean).toBe(2);
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

  it('gives each new pen the first colour no pen uses', () => {
    expect(nextColor([])).toBe(PEN_COLORS[0]);
    expect(nextColor([PEN_COLORS[0]!, PEN_COLORS[2]!])).toBe(PEN_COLORS[1]);
  });
});
