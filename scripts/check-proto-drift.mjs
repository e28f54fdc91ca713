// Fails when a proto/*.proto changed without `npm run proto:generate`: regenerates into a
// temporary folder and compares with the committed proto/generated/.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const committed = path.resolve('proto/generated');
const fresh = mkdtempSync(path.join(os.tmpdir(), 'gw-proto-'));
try {
  const run = spawnSync('node_modules/.bin/buf', ['generate', '--output', fresh], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`buf generate failed:\n${run.stdout}${run.stderr}`);
  const generatedDir = path.join(fresh, 'proto/generated');
  const files = readdirSync(generatedDir);
  const stale = files.filter((file) => {
    try {
      return readFileSync(path.join(generatedDir, file), 'utf8') !== readFileSync(path.join(committed, file), 'utf8');
    } catch {
      return true;
    }
  });
  const orphaned = readdirSync(committed).filter((file) => !files.includes(file));
  if (stale.length > 0 || orphaned.length > 0) {
    throw new Error(
      `proto/generated is out of date (${[...stale, ...orphaned].join(', ')}); run "npm run proto:generate" and commit`,
    );
  }
  console.log('proto/generated matches proto/*.proto');
} catch (error) {
  console.error(error.message);
  process.exitCode = 1;
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
