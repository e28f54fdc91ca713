// One gateway per data folder. The embedded PostgreSQL (PGlite) is a single-process database:
// a second process on the same folder (the desktop app and `npm run serve`, or the `user`
// command while the server runs) would corrupt it. The first process writes its pid to
// `gateway.lock`; another is refused in words while that process lives. A lock left behind by a
// crashed process is taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface DataFolderLock {
  release(): void;
}

export class DataFolderInUseError extends Error {
  override readonly name = 'DataFolderInUseError';
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDataFolder(root: string): DataFolderLock {
  mkdirSync(root, { recursive: true });
  const file = path.join(root, 'gateway.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
    if (Number.isInteger(holder) && isRunning(holder)) {
      throw new DataFolderInUseError(
        `Another Gateway Workstation (process ${holder}) is using the data folder ${root}; stop it first, or choose another folder with --data-dir.`,
      );
    }
    rmSync(file, { force: true }); // left behind by a process that is gone
  }
  throw new DataFolderInUseError(`Cannot lock the data folder ${root}: another process keeps taking it.`);
}
