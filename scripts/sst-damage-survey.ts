// Damages one RocksDB table file of a WAL at many places, one place at a time, and records for
// each whether reading the WAL back returns (frames lost or not) or aborts the process. A native
// abort (RocksDB's assert) kills the whole process, so the reads run in a child process that
// goes through the places in turn; when it dies, the place it was at is recorded with the signal
// and the child starts again after it.
//   npx tsx scripts/sst-damage-survey.ts [frames] [--every N] [--trailers]
// Without options, 64 bytes of 0x5a are written at every 64th byte of the biggest table (what
// wal-corruption.test.ts used to do at one random place); --trailers damages each byte of every
// block trailer (compression type and checksum) by itself.
import { spawn } from 'node:child_process';
import { copyFile, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openTestWal, publishTestFrames, tempDir } from '../test/frame-fixtures.ts';
import { BLOCK_TRAILER_SIZE, type BlockHandle, readTableLayout } from '../main/wal/sst-layout.ts';

interface Damage {
  at: number;
  bytes: number[];
}

async function child(dir: string, table: string, damagesFile: string, from: number): Promise<void> {
  const damages = JSON.parse(await readFile(damagesFile, 'utf8')) as Damage[];
  const file = path.join(dir, table);
  const pristine = await readFile(`${file}.pristine`);
  for (let i = from; i < damages.length; i++) {
    const damaged = Buffer.from(pristine);
    damaged.set(damages[i]!.bytes, damages[i]!.at);
    await writeFile(file, damaged);
    process.stdout.write(`start ${i}\n`);
    let outcome: string;
    try {
      const wal = await openTestWal(dir);
      try {
        const { frames } = await wal.read(0, Infinity);
        outcome = `read ${frames.length} lost ${wal.metrics().corruptFrames}`;
      } finally {
        await wal.close();
      }
    } catch (error) {
      outcome = `error ${(error as Error).message.replace(/\s+/g, ' ').slice(0, 160)}`;
    }
    process.stdout.write(`done ${i} ${outcome}\n`);
    // a WAL that failed to open may hold the database's lock: the next place in a fresh child
    if (outcome.startsWith('error')) process.exit(0);
  }
}

/** Runs children until every damage is tried; returns the outcome of each. */
async function survey(dir: string, table: string, damagesFile: string, count: number): Promise<string[]> {
  const outcomes: string[] = [];
  let next = 0;
  while (next < count) {
    const result = await new Promise<{ started: number; signal: string | null; stderr: string }>((resolve) => {
      const proc = spawn(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(import.meta.url), 'child', dir, table, damagesFile, String(next)],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let started = -1;
      let stderr = '';
      proc.stderr.on('data', (chunk) => (stderr += chunk));
      createInterface({ input: proc.stdout }).on('line', (line) => {
        const [word, index, ...rest] = line.split(' ');
        if (word === 'start') started = Number(index);
        if (word === 'done') outcomes[Number(index)] = rest.join(' ');
      });
      proc.on('close', (_code, signal) => resolve({ started, signal, stderr }));
    });
    if (result.started >= 0 && outcomes[result.started] === undefined) {
      const assertion = /Assertion[^\n]*/.exec(result.stderr)?.[0] ?? result.stderr.trim().split('\n').pop();
      outcomes[result.started] = `ABORT ${result.signal} ${assertion}`;
    }
    next = Math.max(next, result.started + 1);
  }
  return outcomes;
}

type NamedBlock = BlockHandle & { name: string };

function describeAt(blocks: NamedBlock[], at: number): string {
  const block = blocks.find((b) => at >= b.offset && at < b.offset + b.size + BLOCK_TRAILER_SIZE);
  if (!block) return 'footer/padding';
  const { name } = block;
  const inBlock = at - block.offset;
  return inBlock >= block.size ? `${name} trailer byte ${inBlock - block.size}` : `${name} +${inBlock}/${block.size}`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === 'child') return child(args[1]!, args[2]!, args[3]!, Number(args[4]));
  const frames = Number(args.find((a) => /^\d+$/.test(a)) ?? 20_000);
  const every = Number(args[args.indexOf('--every') + 1] ?? 64) || 64;
  const folder = await tempDir('gw-sst-survey-');
  try {
    const wal = await openTestWal(folder.dir);
    await publishTestFrames(wal, frames);
    await wal.close();
    const { openRocksDbStorage } = await import('../main/wal/rocksdb-storage.ts');
    const storage = await openRocksDbStorage(folder.dir);
    await storage.compactRange('frame:', 'frame;');
    await storage.close();
    const tables = await Promise.all(
      (await readdir(folder.dir))
        .filter((name) => name.endsWith('.sst'))
        .map(async (name) => ({ name, size: (await stat(path.join(folder.dir, name))).size })),
    );
    const table = tables.sort((a, b) => b.size - a.size)[0]!;
    const file = path.join(folder.dir, table.name);
    await copyFile(file, `${file}.pristine`);
    const layout = readTableLayout(await readFile(file));
    const blocks: NamedBlock[] = [
      ...layout.dataBlocks.map((block) => ({ ...block, name: 'data' })),
      ...[...layout.metaBlocks].map(([name, block]) => ({ ...block, name })),
      { ...layout.index, name: 'index' },
      { ...layout.metaindex, name: 'metaindex' },
    ];
    console.log(`${table.name}: ${table.size} bytes, ${blocks.length} blocks`);

    const damages: Damage[] = [];
    if (args.includes('--trailers')) {
      for (const block of blocks) {
        for (let k = 0; k < BLOCK_TRAILER_SIZE; k++) damages.push({ at: block.offset + block.size + k, bytes: [0x5a] });
      }
    } else {
      for (let at = 0; at + 64 <= table.size; at += every)
        damages.push({ at, bytes: new Array<number>(64).fill(0x5a) });
    }
    const damagesFile = path.join(folder.dir, 'damages.json');
    await writeFile(damagesFile, JSON.stringify(damages));
    const outcomes = await survey(folder.dir, table.name, damagesFile, damages.length);
    const summary = new Map<string, number>();
    outcomes.forEach((outcome, i) => {
      const kind = outcome.startsWith('ABORT') ? 'abort' : outcome.startsWith('error') ? 'error' : 'read';
      summary.set(kind, (summary.get(kind) ?? 0) + 1);
      if (kind !== 'read') console.log(`${damages[i]!.at}\t${describeAt(blocks, damages[i]!.at)}\t${outcome}`);
    });
    console.log(Object.fromEntries(summary));
  } finally {
    await folder.remove();
  }
}

await main();
