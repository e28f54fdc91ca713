import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOG_FILE_NAME, openLog, parseLogLevel } from './logger.ts';

const folders: string[] = [];
async function tempFolder(): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'gw-log-'));
  folders.push(folder);
  return folder;
}
afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

async function lines(file: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('openLog', () => {
  it('writes JSON lines with ISO times to gateway.log and flushes them on close', async () => {
    const folder = path.join(await tempFolder(), 'logs');
    const log = await openLog({ folder });
    expect(log.file).toBe(path.join(folder, LOG_FILE_NAME));
    log.logger.info({ dataDir: '/data' }, 'gateway started');
    log.logger.debug('not at info level');
    await log.close();
    await log.close();
    const written = await lines(log.file);
    expect(written).toEqual([expect.objectContaining({ level: 30, msg: 'gateway started', dataDir: '/data' })]);
    expect(written[0]?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('keeps connection strings and passwords out of the file', async () => {
    const log = await openLog({ folder: await tempFolder() });
    log.logger.info(
      { config: { databaseUrl: 'postgres://gateway:secret@db/gw' }, password: 'hunter2' },
      'configuration',
    );
    await log.close();
    const text = await readFile(log.file, 'utf8');
    expect(text).not.toContain('secret');
    expect(text).not.toContain('hunter2');
    expect(text).toContain('[redacted]');
  });

  it('rotates by size and keeps a bounded number of old files', async () => {
    const folder = await tempFolder();
    const log = await openLog({ folder, maxFileSize: '1K', keepFiles: 2 });
    for (let i = 0; i < 200; i++) log.logger.info({ i }, 'a line long enough to fill a kilobyte quickly');
    await log.close();
    expect((await readdir(folder)).sort()).toEqual(['gateway.1.log', 'gateway.2.log', 'gateway.log']);
    // Oldest to newest: gateway.2.log, gateway.1.log, gateway.log, with no line lost in between.
    const ordered: Record<string, unknown>[] = [];
    for (const name of ['gateway.2.log', 'gateway.1.log', 'gateway.log'])
      ordered.push(...(await lines(path.join(folder, name))));
    const numbers = ordered.map((line) => line.i as number);
    expect(numbers.at(-1)).toBe(199);
    expect(numbers).toEqual(numbers.map((_, k) => (numbers[0] as number) + k));
    expect(numbers.length).toBeLessThan(200);
  });

  it('appends to the file a previous run left', async () => {
    const folder = await tempFolder();
    const first = await openLog({ folder });
    first.logger.info('first run');
    await first.close();
    const second = await openLog({ folder });
    second.logger.info('second run');
    await second.close();
    expect((await lines(second.file)).map((line) => line.msg)).toEqual(['first run', 'second run']);
  });

  it('names the folder it cannot create', async () => {
    const blocker = path.join(await tempFolder(), 'not-a-folder');
    await writeFile(blocker, 'x');
    await expect(openLog({ folder: path.join(blocker, 'logs') })).rejects.toThrow(
      `Cannot create the log folder ${path.join(blocker, 'logs')}`,
    );
  });
});

describe('parseLogLevel', () => {
  it('accepts pino level names in any case and defaults to info', () => {
    expect(parseLogLevel(undefined)).toBe('info');
    expect(parseLogLevel('')).toBe('info');
    expect(parseLogLevel('DEBUG')).toBe('debug');
  });

  it('refuses a wrong name and lists the right ones', () => {
    expect(() => parseLogLevel('verbose')).toThrow(
      'GATEWAY_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, not "verbose"',
    );
  });
});
