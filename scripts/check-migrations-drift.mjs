// Fails when drizzle/schema/*.ts changed without `npm run db:generate`: generates migrations
// into a copy of the migration folder and reports any file drizzle-kit would add or change.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const source = path.resolve('drizzle/migrations');
// drizzle-kit only accepts an output folder relative to the project, so the copy lives in .tmp/.
const relativeCopy = `.tmp/drift-${process.pid}`;
const copy = path.resolve(relativeCopy);
try {
  mkdirSync(copy, { recursive: true });
  cpSync(source, copy, { recursive: true });
  const run = spawnSync(
    process.execPath,
    [
      'node_modules/drizzle-kit/bin.cjs',
      'generate',
      '--dialect=postgresql',
      '--schema=./drizzle/schema/*.ts',
      `--out=./${relativeCopy}`,
      '--name=drift',
    ],
    { encoding: 'utf8' },
  );
  const output = `${run.stdout}${run.stderr}`;
  // drizzle-kit prints some of its errors and still exits 0.
  if (run.status !== 0 || /Error/.test(output)) {
    throw new Error(`drizzle-kit failed:\n${output}`);
  }
  const changed = [];
  const list = (dir) => readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.sql') || f.endsWith('.json'));
  for (const file of list(copy)) {
    let original;
    try {
      original = readFileSync(path.join(source, file), 'utf8');
    } catch {
      changed.push(`new: ${file}`);
      continue;
    }
    if (original !== readFileSync(path.join(copy, file), 'utf8')) changed.push(`changed: ${file}`);
  }
  if (changed.length > 0) {
    throw new Error(
      `drizzle/schema differs from drizzle/migrations; run "npm run db:generate" and commit:\n  ${changed.join('\n  ')}`,
    );
  }
  console.log('drizzle migrations match the schema');
} catch (error) {
  console.error(error.message);
  process.exitCode = 1;
} finally {
  rmSync(copy, { recursive: true, force: true });
}
