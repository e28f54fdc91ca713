// The crash test: a child process publishes frames into a WAL with sync group commit and prints
// each acknowledged sequence number; we SIGKILL it at random moments, over and over. After every
// kill, every acknowledged frame must be there, intact (checksum) and with the right content,
// and the restarted writer must continue above every sequence number used before.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestWal, tempDir } from '../../test/frame-fixtures.ts';

const KILLS = 20;
let bundle: string;
let folder: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  folder = await tempDir('gw-wal-crash-');
  // Bundled once: a child started through tsx takes ~1.4 s to start, a bundle ~0.4 s. It lives
  // under node_modules/.cache so that its external packages (rocksdb, …) resolve.
  bundle = path.resolve('node_modules/.cache/gateway-tests/wal-crash-writer.mjs');
  await build({
    entryPoints: [path.resolve('test/wal-crash-writer.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile: bundle,
    logLevel: 'error',
  });
});
afterAll(async () => {
  await folder.remove();
});

interface Run {
  start: number;
  acked: number[];
}

/** Runs the writer until it has acknowledged something, then kills it after a random delay. */
function runAndKill(dir: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [bundle, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const run: Run = { start: -1, acked: [] };
    let stderr = '';
    let killTimer: NodeJS.Timeout | undefined;
    const guard = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const [word, value] = line.split(' ');
      if (word === 'start') run.start = Number(value);
      if (word === 'ack') {
        run.acked.push(Number(value));
        killTimer ??= setTimeout(() => child.kill('SIGKILL'), Math.random() * 150);
      }
    });
    child.on('error', reject);
    // 'close' comes after stdout ended: every ack the child printed has been read
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      clearTimeout(killTimer);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own (${code ?? signal}): ${stderr}`));
      else resolve(run);
    });
  });
}

describe('WAL crash safety', () => {
  it(`keeps every acknowledged frame through ${KILLS} SIGKILLs`, { timeout: 120_000 }, async () => {
    let maxAcked = 0;
    let verifiedThrough = 0;
    let highestSeen = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      const run = await runAndKill(folder.dir);
      // the restarted writer continues above every sequence number that reached the disk
      expect(run.start).toBeGreaterThanOrEqual(highestSeen);
      expect(run.acked.length).toBeGreaterThan(0);
      expect(run.acked[0]).toBeGreaterThan(run.start);
      maxAcked = Math.max(maxAcked, ...run.acked);

      const wal = await openTestWal(folder.dir);
      try {
        expect(wal.lastSequenceId).toBeGreaterThanOrEqual(maxAcked);
        highestSeen = wal.lastSequenceId;
        // every frame since the last check: present, contiguous, checksum valid, content right
        const cursor = wal.cursor(verifiedThrough);
        let expected = verifiedThrough + 1;
        for (let chunk = await cursor.next(); chunk; chunk = await cursor.next()) {
          for (const frame of chunk.frames) {
            expect(frame.sequenceId).toBe(expected);
            if (frame.type === 'data') {
              expect(frame.payload.value?.kind).toEqual({ $case: 'doubleValue', value: frame.sequenceId });
            } else {
              // the writer outruns its disk now and then: the bus reports that as a system event
              expect(
                frame.type === 'event' && frame.payload.detail?.$case === 'system' && frame.payload.detail.value.code,
              ).toBe('bus.backpressure');
            }
            expected++;
          }
        }
        await cursor.close();
        expect(expected - 1).toBe(wal.lastSequenceId);
        expect(wal.metrics().corruptFrames).toBe(0);
        verifiedThrough = wal.lastSequenceId;
      } finally {
        await wal.close();
      }
    }
    expect(maxAcked).toBeGreaterThan(KILLS);
    // and once more from the very start
    const wal = await openTestWal(folder.dir);
    const all = await wal.read(0, Number.MAX_SAFE_INTEGER);
    await wal.close();
    expect(all.frames.length).toBe(verifiedThrough);
    expect(all.frames.every((frame, i) => frame.sequenceId === i + 1)).toBe(true);
  });
});
