// npm run bench:wal — the frame bus and the RocksDB write-ahead log, frames of ~200 bytes:
//  * batched append without fsync (durability "async");
//  * group commit with fsync (durability "sync", the default): the most frames/s it takes, beside
//    the one-put-per-frame synced baseline, and the per-frame commit latency (append →
//    acknowledged) with 60,000 frames/s offered;
//  * replay of 1,000,000 frames by a durable consumer (read, checksum, decode, checkpoints);
//  * bus publish → live subscriber latency at 100,000 frames/s (with the WAL writing, synced).
// Each figure is the median of several runs; the baseline is measured in the same run.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FrameBus } from '../main/bus/frame-bus.ts';
import { encodeFrame } from '../main/frames/frame-codec.ts';
import { nowNs } from '../main/frames/frame-clock.ts';
import type { Frame, FrameBody } from '../main/frames/frame.ts';
import { frameKey } from '../main/frames/frame-key.ts';
import { type Durability, type FrameWal, openFrameWal } from '../main/wal/frame-wal.ts';
import { openRocksDbStorage } from '../main/wal/rocksdb-storage.ts';
import { Quality, QualityReason } from '../proto/generated/frame.ts';
import { median, percentile, printBenchResult, round } from './bench-report.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const APPEND_FRAMES = 400_000;
const SYNC_SECONDS = 3;
const SYNC_WINDOW = 8_000; // frames a producer keeps in flight before it waits for a commit
const SYNC_OFFERED_RATE = 60_000; // frames/s offered when measuring commit latency (target: ≥ 50,000)
const BASELINE_SECONDS = 2;
const REPLAY_FRAMES = 1_000_000;
const BUS_RATE = 100_000;
const BUS_SECONDS = 3;

const devices = Array.from({ length: 20 }, () => randomUUID());
const tags = Array.from({ length: 500 }, () => randomUUID());

/** A DataFrame of ~200 bytes encoded: UUID tag and device, a status text value, quality. */
function body(i: number): FrameBody {
  return {
    type: 'data',
    payload: {
      tagId: tags[i % tags.length]!,
      deviceId: devices[i % devices.length]!,
      value: {
        kind: {
          $case: 'stringValue',
          value: `Line ${i % 9} RUN ${i % 97}: step ${i % 13} of recipe B-${i % 7}, mixer speed nominal, valve V-${i % 31} open`,
        },
      },
      rawValue: i * 0.25,
      sourceTimestamp: 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n,
      quality: i % 50 === 0 ? Quality.QUALITY_UNCERTAIN : Quality.QUALITY_GOOD,
      qualityReason: i % 50 === 0 ? QualityReason.QUALITY_REASON_OUT_OF_RANGE : QualityReason.QUALITY_REASON_NONE,
      errorCode: 0,
    },
  };
}

// Producers build their payloads; what is measured here is what the bus and the WAL do with them.
const bodies = Array.from({ length: 1000 }, (_, i) => body(i));

/** A frame as bus.publish() builds it (field by field: a spread costs ~4 µs on Node 20). */
function frame(sequenceId: number): Frame {
  const { type, payload } = bodies[sequenceId % bodies.length]!;
  return { type, payload, sequenceId, timestamp: nowNs() } as Frame;
}

const roots: string[] = [];
async function freshWal(durability: Durability, groupCommitFrames = 2000): Promise<FrameWal> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gw-bench-wal-'));
  roots.push(dir);
  return openFrameWal({
    storage: await openRocksDbStorage(dir),
    durability,
    groupCommitFrames,
    retention: { intervalMs: 0 },
  });
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Appends frames 1…count as fast as the WAL takes them, with at most 50,000 unwritten. */
async function appendMany(wal: FrameWal, count: number): Promise<void> {
  for (let seq = 1; seq <= count; seq++) {
    wal.append(frame(seq));
    if (seq % 5000 === 0) {
      if (wal.pendingFrames > 50_000) await wal.whenDurable(seq - 25_000);
      await tick();
    }
  }
  await wal.flush();
}

/** Batched append without fsync, frames/s from the first append to the last acknowledgement. */
async function batchedAppend(): Promise<number> {
  const wal = await freshWal('async', 5000);
  const start = performance.now();
  await appendMany(wal, APPEND_FRAMES);
  const rate = APPEND_FRAMES / ((performance.now() - start) / 1000);
  await wal.close();
  return rate;
}

interface SyncRun {
  rate: number;
  p50: number;
  p99: number;
  batches: number;
}

/**
 * Group commit with fsync. `rate` undefined: the producer appends as fast as the WAL takes
 * frames, with up to SYNC_WINDOW in flight (capacity). `rate` given: the producer offers that
 * many frames per second on a 1 ms timer, and the per-frame commit latency is what a driver sees.
 */
async function groupCommitSync(rate?: number): Promise<SyncRun> {
  const wal = await freshWal('sync');
  const commits: { through: number; at: number }[] = [];
  wal.onCommit(() => commits.push({ through: wal.committedSequenceId, at: performance.now() }));
  const appends: { through: number; at: number; count: number }[] = [];
  const start = performance.now();
  let seq = 0;
  while (performance.now() - start < SYNC_SECONDS * 1000) {
    if (wal.pendingFrames >= SYNC_WINDOW) {
      await new Promise<void>((resolve) => {
        const off = wal.onCommit(() => {
          off();
          resolve();
        });
      });
    }
    const at = performance.now();
    const count = rate === undefined ? 200 : Math.floor(((at - start) / 1000) * rate) - seq;
    for (let i = 0; i < count; i++) wal.append(frame(++seq));
    if (count > 0) appends.push({ through: seq, at, count });
    await (rate === undefined ? tick() : new Promise((resolve) => setTimeout(resolve, 1)));
  }
  await wal.flush();
  const elapsed = (performance.now() - start) / 1000;
  const batches = wal.metrics().batchesWritten;
  await wal.close();
  // per-frame latency: from its append to the first commit that covered it (frame-weighted)
  const latencies: number[] = [];
  let c = 0;
  for (const append of appends) {
    while (commits[c]!.through < append.through) c++;
    const latency = commits[c]!.at - append.at;
    for (let i = 0; i < Math.ceil(append.count / 20); i++) latencies.push(latency); // 1 sample per 20 frames
  }
  return { rate: seq / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), batches };
}

/** The baseline: one synced put per frame, no batching. */
async function perFrameSyncedPut(): Promise<number> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gw-bench-put-'));
  roots.push(dir);
  const storage = await openRocksDbStorage(dir);
  const start = performance.now();
  let seq = 0;
  while (performance.now() - start < BASELINE_SECONDS * 1000) {
    seq++;
    await storage.put(frameKey(seq), encodeFrame(frame(seq)), true);
  }
  const rate = seq / ((performance.now() - start) / 1000);
  await storage.close();
  return rate;
}

/** Writes REPLAY_FRAMES once; each run replays them through a fresh durable consumer. */
async function replay(): Promise<{ seconds: number[]; cpuSeconds: number[]; dir: string }> {
  const wal = await freshWal('async', 5000);
  const dir = wal.location;
  await appendMany(wal, REPLAY_FRAMES);
  await wal.close();
  const seconds: number[] = [];
  // CPU time of this process (main thread and RocksDB's threads): steadier than the wall clock
  // on a machine shared with other work
  const cpuSeconds: number[] = [];
  const reopened = await openFrameWal({ storage: await openRocksDbStorage(dir), retention: { intervalMs: 0 } });
  for (let run = 0; run < RUNS; run++) {
    let received = 0;
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const consumer = await reopened.consume(
      `replay-${run}`,
      async (frames) => {
        received += frames.length;
      },
      { batchSize: 5000 },
    );
    while (consumer.checkpoint < REPLAY_FRAMES) await new Promise((resolve) => setTimeout(resolve, 2));
    seconds.push((performance.now() - start) / 1000);
    const cpu = process.cpuUsage(cpuStart);
    cpuSeconds.push((cpu.user + cpu.system) / 1e6);
    if (received !== REPLAY_FRAMES) throw new Error(`replay delivered ${received} frames, expected ${REPLAY_FRAMES}`);
    await reopened.removeConsumer(`replay-${run}`);
  }
  await reopened.close();
  return { seconds, cpuSeconds, dir };
}

/** Publish → live subscriber latency while publishing at BUS_RATE with a synced WAL. */
async function busLatency(): Promise<{ p50: number; p99: number; rate: number }> {
  const wal = await freshWal('sync');
  const bus = new FrameBus({ wal });
  const latencies: number[] = [];
  // publish times by sequence id, on the monotonic clock (frame timestamps follow the wall clock)
  const publishedAt = new Float64Array(1 << 20);
  bus.subscribe({ name: 'bench', types: ['data'] }, (f) => {
    if (f.sequenceId % 10 === 0) latencies.push(performance.now() - publishedAt[f.sequenceId % publishedAt.length]!);
  });
  const start = performance.now();
  let published = 0;
  while (performance.now() - start < BUS_SECONDS * 1000) {
    // After a late timer, catch up in scan-sized bursts (a driver publishes one scan at a time),
    // yielding between them so that subscribers run.
    let owed = Math.floor(((performance.now() - start) / 1000) * BUS_RATE) - published;
    while (owed > 0) {
      const burst = Math.min(owed, 200);
      for (let i = 0; i < burst; i++) {
        const { sequenceId } = bus.publish(bodies[published++ % bodies.length]!);
        publishedAt[sequenceId % publishedAt.length] = performance.now();
      }
      owed -= burst;
      if (owed > 0) await tick();
    }
    await bus.drain();
    // paced by a 1 ms timer: a producer that spins on setImmediate would steal the CPU that
    // RocksDB's threads need on a 2-core machine
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const rate = published / ((performance.now() - start) / 1000);
  await bus.flush();
  await bus.close();
  await wal.close();
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), rate };
}

try {
  console.log(`encoded frame size: ${encodeFrame(frame(123_456)).length} bytes`);
  const appendRates: number[] = [];
  const syncRuns: SyncRun[] = [];
  const pacedRuns: SyncRun[] = [];
  const baselineRates: number[] = [];
  const busRuns: Awaited<ReturnType<typeof busLatency>>[] = [];
  for (let run = 1; run <= RUNS; run++) {
    appendRates.push(await batchedAppend());
    syncRuns.push(await groupCommitSync());
    pacedRuns.push(await groupCommitSync(SYNC_OFFERED_RATE));
    baselineRates.push(await perFrameSyncedPut());
    busRuns.push(await busLatency());
    const s = syncRuns.at(-1)!;
    const p = pacedRuns.at(-1)!;
    const b = busRuns.at(-1)!;
    console.log(
      `run ${run}: append ${Math.round(appendRates.at(-1)!)}/s; group commit sync ${Math.round(s.rate)}/s ` +
        `(${s.batches} batches), at ${Math.round(p.rate)}/s offered: commit p50 ${round(p.p50)} ms, ` +
        `p99 ${round(p.p99)} ms (${p.batches} batches); ` +
        `per-frame synced put ${Math.round(baselineRates.at(-1)!)}/s; ` +
        `bus at ${Math.round(b.rate)}/s: p50 ${round(b.p50)} ms, p99 ${round(b.p99)} ms`,
    );
  }
  const replayRun = await replay();
  console.log(
    `replay of ${REPLAY_FRAMES} frames: ${replayRun.seconds.map((s) => round(s)).join(' s, ')} s ` +
      `(CPU time ${replayRun.cpuSeconds.map((s) => round(s)).join(' s, ')} s)`,
  );

  const syncRate = median(syncRuns.map((s) => s.rate));
  const baseline = median(baselineRates);
  printBenchResult('wal', {
    append_batched_nosync_frames_per_s: {
      value: Math.round(median(appendRates)),
      unit: 'frames/s',
      target: '>=200000',
      baseline: null,
    },
    group_commit_sync_frames_per_s: {
      value: Math.round(syncRate),
      unit: 'frames/s',
      target: '>=50000',
      baseline: Math.round(baseline),
    },
    group_commit_sync_p99_commit_ms_at_60k: {
      value: round(median(pacedRuns.map((p) => p.p99))),
      unit: 'ms',
      target: '<=15',
      baseline: null,
    },
    group_commit_speedup_over_per_frame_sync: {
      value: round(syncRate / baseline, 1),
      unit: 'x',
      target: '>=25',
      baseline: Math.round(baseline),
    },
    replay_1m_frames_s: { value: round(median(replayRun.seconds)), unit: 's', target: '<=3', baseline: null },
    bus_publish_to_live_p99_ms_at_100k: {
      value: round(median(busRuns.map((b) => b.p99))),
      unit: 'ms',
      target: '<=5',
      baseline: null,
    },
  });
} finally {
  await Promise.all(roots.map((dir) => rm(dir, { recursive: true, force: true })));
}
