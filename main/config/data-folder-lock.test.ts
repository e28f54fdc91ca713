import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataFolderInUseError, lockDataFolder } from './data-folder-lock.ts';

describe('lockDataFolder', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'gw-lock-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('lets one holder at a time use a folder, and frees it on release', () => {
    const lock = lockDataFolder(root);
    expect(() => lockDataFolder(root)).toThrow(DataFolderInUseError);
    lock.release();
    expect(existsSync(path.join(root, 'gateway.lock'))).toBe(false);
    lockDataFolder(root).release();
  });

  it('refuses while another living process holds the folder, and takes over from a dead one', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(path.join(root, 'gateway.lock'), `${child.pid}\n`);
      expect(() => lockDataFolder(root)).toThrow(
        `Another Gateway Workstation (process ${child.pid}) is using the data folder`,
      );
    } finally {
      child.kill();
      await new Promise((resolve) => child.once('exit', resolve));
    }
    lockDataFolder(root).release();
  });
});
