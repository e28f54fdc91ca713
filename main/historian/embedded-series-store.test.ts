import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/frame-fixtures.ts';
import { openRocksDbStorage } from '../wal/rocksdb-storage.ts';
import {
  type EmbeddedSeriesStore,
  InvalidSeriesError,
  openEmbeddedSeriesStore,
  type SeriesSample,
} from './embedded-series-store.ts';

const T0 = Date.UTC(2025, 0, 17, 0, 0, 0);
const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n;

function samples(
  seriesId: string,
  fromMs: number,
  count: number,
  stepMs = 1000,
  value = (i: number) => i,
): SeriesSample[] {
  return Array.from({ length: count }, (_, i) => ({
    seriesId,
    timeNs: ns(fromMs + i * stepMs) + 123n,
    value: value(i),
    rawValue: value(i) * 10,
    quality: 0,
    errorCode: 0,
  }));
}

let folder: Awaited<ReturnType<typeof tempDir>>;
let store: EmbeddedSeriesStore | undefined;
const open = async (now = () => T0 + 86_400_000) => {
  store = await openEmbeddedSeriesStore({
    storage: await openRocksDbStorage(folder.dir, 'the series store'),
    retentionIntervalMs: 0,
    now,
  });
  return store;
};

beforeEach(async () => {
  folder = await tempDir('gw-series-');
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  await folder.remove();
});

/** min/max/mean per bucket computed the slow way, from the samples themselves. */
function expected(all: SeriesSample[], bucketMs: number) {
  const buckets = new Map<number, number[]>();
  for (const s of all) {
    const b = Math.floor(Number(s.timeNs / 1_000_000n) / bucketMs) * bucketMs;
    buckets.set(b, [...(buckets.get(b) ?? []), s.value]);
  }
  const t = [...buckets.keys()].sort((a, b) => a - b);
  return {
    t,
    min: t.map((b) => Math.min(...buckets.get(b)!)),
    max: t.map((b) => Math.max(...buckets.get(b)!)),
    mean: t.map((b) => buckets.get(b)!.reduce((x, y) => x + y, 0) / buckets.get(b)!.length),
  };
}

describe('the embedded series store', () => {
  it('keys raw samples by series and time across the whole nanosecond range', async () => {
    const s = await open();
    const times = [0n, 1n, 0xfn, 0x10n, 0xffff_ffffn, 0x1_0000_0000n, ns(T0) + 7n, 2n ** 63n, 2n ** 64n - 1n];
    const one = (seriesId: string, timeNs: bigint, value: number): SeriesSample => ({
      seriesId,
      timeNs,
      value,
      rawValue: value,
      quality: 0,
      errorCode: 0,
    });
    // two series whose ids share a beginning: neither range may see the other's samples
    await s.write(times.map((t, i) => one('tag-x', t, i)));
    await s.write(times.map((t, i) => one('tag-x1', t, 100 + i)));
    const read = async (seriesId: string) => {
      const got: SeriesSample[] = [];
      for await (const chunk of s.readRaw(seriesId, 0n, 2n ** 64n - 1n)) got.push(...chunk);
      return got;
    };
    expect((await read('tag-x')).map((x) => [x.timeNs, x.value])).toEqual(times.slice(0, -1).map((t, i) => [t, i]));
    expect((await read('tag-x1')).map((x) => x.value)).toEqual(times.slice(0, -1).map((_, i) => 100 + i));
  });

  it('keeps nanosecond samples and answers buckets from raw samples and from each aggregate level', async () => {
    const s = await open();
    const wave = (i: number) => Math.round(Math.sin(i / 50) * 1000) / 10;
    const all = samples('tag-a', T0, 7200, 1000, wave);
    // in several writes, as the historian's batches arrive
    for (let i = 0; i < all.length; i += 997) await s.write(all.slice(i, i + 997));
    await s.write(samples('tag-b', T0, 100, 1000, () => 99));

    const raw: SeriesSample[] = [];
    for await (const chunk of s.readRaw('tag-a', ns(T0), ns(T0 + 5000))) raw.push(...chunk);
    expect(raw.map((r) => r.timeNs)).toEqual([0, 1, 2, 3, 4].map((i) => ns(T0 + i * 1000) + 123n));
    expect(raw[1]).toMatchObject({ value: wave(1), rawValue: wave(1) * 10, quality: 0, errorCode: 0 });

    for (const bucketMs of [2000, 10_000, 120_000, 3_600_000, 7_200_000]) {
      const got = await s.buckets('tag-a', T0, T0 + 7_200_000, bucketMs);
      const want = expected(all, bucketMs);
      expect(got.t, `bucket ${bucketMs}`).toEqual(want.t);
      expect(got.min, `bucket ${bucketMs}`).toEqual(want.min);
      expect(got.max, `bucket ${bucketMs}`).toEqual(want.max);
      got.mean.forEach((m, i) => expect(m).toBeCloseTo(want.mean[i]!, 9));
    }
    // another series' keys are never read
    expect((await s.buckets('tag-b', T0, T0 + 7_200_000, 3_600_000)).max).toEqual([99]);
  });

  it('leaves no trace of a replay and recomputes aggregates for late and rewritten samples, also after a restart', async () => {
    let s = await open();
    const all = samples('tag-a', T0, 600);
    await s.write(all.slice(0, 400));
    await s.close();
    s = await open();
    // a replay of what was written plus what follows, and a late sample in between
    await s.write(all.slice(300));
    await s.write([{ ...all[10]!, timeNs: all[10]!.timeNs + 500_000_000n, value: -5 }]);
    const got = await s.buckets('tag-a', T0, T0 + 600_000, 60_000);
    const want = expected([...all, { ...all[10]!, timeNs: all[10]!.timeNs + 500_000_000n, value: -5 }], 60_000);
    expect(got.t).toEqual(want.t);
    expect(got.min).toEqual(want.min);
    expect(got.max).toEqual(want.max);
    got.mean.forEach((m, i) => expect(m).toBeCloseTo(want.mean[i]!, 9));
    let count = 0;
    for await (const chunk of s.readRaw('tag-a', 0n, ns(T0 + 86_400_000))) count += chunk.length;
    expect(count).toBe(601);
  });

  it('stores its open buckets at close, and after a crash recomputes them from the raw samples', async () => {
    const all = samples('tag-a', T0, 126, 1000, (i) => (i * 7) % 17);
    const hour = (s: EmbeddedSeriesStore) => s.buckets('tag-a', T0, T0 + 3_600_000, 3_600_000);
    const meanOf = (some: SeriesSample[]) => some.reduce((sum, x) => sum + x.value, 0) / some.length;
    let s = await open();
    await s.write(all.slice(0, 100));
    const beforeClose = await s.buckets('tag-a', T0, T0 + 3_600_000, 10_000);
    expect(beforeClose).toEqual(
      expect.objectContaining({
        t: expected(all.slice(0, 100), 10_000).t,
        max: expected(all.slice(0, 100), 10_000).max,
      }),
    );
    await s.close();
    s = await open();
    expect(await s.buckets('tag-a', T0, T0 + 3_600_000, 10_000)).toEqual(beforeClose);

    // a crash: the storage goes away under the store, which never stores its open buckets
    await s.close();
    const storage = await openRocksDbStorage(folder.dir, 'the series store');
    const crashing = await openEmbeddedSeriesStore({ storage, retentionIntervalMs: 0 });
    await crashing.write(all.slice(100, 101));
    await crashing.write(all.slice(101, 121)); // the 10 s buckets of 110 s and 120 s close
    await crashing.write(all.slice(121, 125));
    await storage.close();
    s = await open();
    // the open 1 min and 1 h buckets were stored when the last 10 s bucket closed
    expect((await hour(s)).mean[0]).toBeCloseTo(meanOf(all.slice(0, 121)), 9);
    // the series' next sample recomputes its hour from the raw samples
    await s.write(all.slice(125));
    expect((await hour(s)).mean[0]).toBeCloseTo(meanOf(all), 9);
    for (const bucketMs of [10_000, 60_000]) {
      const got = await s.buckets('tag-a', T0, T0 + 3_600_000, bucketMs);
      const want = expected(all, bucketMs);
      expect(got.t).toEqual(want.t);
      expect(got.min).toEqual(want.min);
      expect(got.max).toEqual(want.max);
      got.mean.forEach((m, i) => expect(m).toBeCloseTo(want.mean[i]!, 9));
    }
  });

  it('after a crash, the next sample, even in a later hour, completes the buckets left open', async () => {
    // 10:59:30 to 10:59:55: the 10 s bucket of 10:59:50 and the hour of 10:00 are open at the crash
    const start = T0 + 3_600_000 - 30_000;
    const before = samples('tag-a', start, 26, 1000, (i) => (i * 5) % 11);
    await (await open()).close();
    const storage = await openRocksDbStorage(folder.dir, 'the series store');
    const crashing = await openEmbeddedSeriesStore({ storage, retentionIntervalMs: 0 });
    await crashing.write(before);
    await storage.close(); // a crash: the open buckets are not stored
    const s = await open();
    const after = samples('tag-a', T0 + 2 * 3_600_000 + 5_000, 3, 1000, () => 50);
    await s.write(after);
    for (const bucketMs of [10_000, 60_000, 3_600_000]) {
      const got = await s.buckets('tag-a', T0, T0 + 3 * 3_600_000, bucketMs);
      const want = expected([...before, ...after], bucketMs);
      expect(got.t, `bucket ${bucketMs}`).toEqual(want.t);
      expect(got.min, `bucket ${bucketMs}`).toEqual(want.min);
      expect(got.max, `bucket ${bucketMs}`).toEqual(want.max);
      got.mean.forEach((m, i) => expect(m).toBeCloseTo(want.mean[i]!, 9));
    }
  });

  it('writes a new series again whole after a failed write: its index entry and its aggregates', async () => {
    const storage = await openRocksDbStorage(folder.dir, 'the series store');
    let failNext = true;
    // the storage as it is, but the next batch write fails (as on a full disk)
    const failing = new Proxy(storage, {
      get(target, key) {
        if (key === 'batch') {
          return () => {
            const batch = target.batch();
            return {
              put: batch.put,
              write: (sync: boolean) => {
                if (!failNext) return batch.write(sync);
                failNext = false;
                return Promise.reject(new Error('No space left on device'));
              },
            };
          };
        }
        const value: unknown = Reflect.get(target, key);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    store = await openEmbeddedSeriesStore({ storage: failing, retentionIntervalMs: 0 });
    const all = samples('tag-a', T0, 30);
    await expect(store.write(all)).rejects.toThrow('No space left');
    await store.write(all);
    await store.close();
    const s = await open();
    expect(s.seriesIds()).toEqual(['tag-a']);
    const want = expected(all, 10_000);
    expect(await s.buckets('tag-a', T0, T0 + 60_000, 10_000)).toMatchObject({
      t: want.t,
      min: want.min,
      max: want.max,
    });
  });

  it('deletes samples past retention and keeps aggregates longer', async () => {
    const s = await open(() => T0 + 31 * 86_400_000);
    await s.write(samples('tag-a', T0, 60));
    await s.write(samples('tag-a', T0 + 30 * 86_400_000, 60));
    await s.applyRetention();
    let count = 0;
    for await (const chunk of s.readRaw('tag-a', 0n, ns(T0 + 40 * 86_400_000))) count += chunk.length;
    expect(count).toBe(60);
    expect((await s.buckets('tag-a', T0, T0 + 3_600_000, 3_600_000)).t).toEqual([T0]);
  });

  it('refuses a series id that would break its key range', async () => {
    const s = await open();
    await expect(s.write(samples('tag/a', T0, 1))).rejects.toThrow(InvalidSeriesError);
    expect(s.seriesIds()).toEqual([]);
  });
});
