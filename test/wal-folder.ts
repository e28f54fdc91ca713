// A temp folder per test with the WALs opened in it: kept apart from frame-fixtures.ts, which
// the crash test's child process imports outside of Vitest.
import { afterEach, beforeEach } from 'vitest';
import type { FrameWal, FrameWalOptions } from '../main/wal/frame-wal.ts';
import { openTestWal, tempDir } from './frame-fixtures.ts';

/**
 * A fresh temp folder for every test of the calling file, removed after the test, together with
 * every WAL opened in it through open() (closing twice is harmless).
 */
export function useWalFolder(prefix = 'gw-wal-'): {
  readonly dir: string;
  open(options?: Partial<FrameWalOptions>): Promise<FrameWal>;
} {
  let folder: Awaited<ReturnType<typeof tempDir>> | undefined;
  const opened: FrameWal[] = [];
  beforeEach(async () => {
    folder = await tempDir(prefix);
  });
  afterEach(async () => {
    for (const wal of opened.splice(0)) await wal.close();
    await folder?.remove();
  });
  return {
    get dir() {
      if (!folder) throw new Error('useWalFolder: the folder exists only inside a test');
      return folder.dir;
    },
    async open(options) {
      const wal = await openTestWal(this.dir, options);
      opened.push(wal);
      return wal;
    },
  };
}
