// Some servers refuse to run as root (PostgreSQL's initdb and postgres do). When the tests run
// as root, such commands run as the server's own system user through runuser(1), and the temp
// folders they use are handed to that user.
import { execFile } from 'node:child_process';
import { chown } from 'node:fs/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const runningAsRoot = process.getuid?.() === 0;

export async function systemUserIds(user: string): Promise<{ uid: number; gid: number }> {
  const uid = Number((await execFileAsync('id', ['-u', user])).stdout.trim());
  const gid = Number((await execFileAsync('id', ['-g', user])).stdout.trim());
  return { uid, gid };
}

/** Gives `paths` to `user` when running as root; a no-op otherwise. */
export async function handOver(user: string, ...paths: string[]): Promise<void> {
  if (!runningAsRoot) return;
  const { uid, gid } = await systemUserIds(user);
  for (const p of paths) await chown(p, uid, gid);
}

/** Runs a command as `user` when we are root, else as ourselves. Rejects with its output on failure. */
export async function runAs(
  user: string,
  command: string,
  args: string[],
  options: { timeoutMs?: number } = {},
): Promise<{ stdout: string; stderr: string }> {
  const [file, argv] = runningAsRoot ? ['runuser', ['-u', user, '--', command, ...args]] : [command, args];
  try {
    return await execFileAsync(file, argv, { timeout: options.timeoutMs ?? 60_000 });
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`, {
      cause: error,
    });
  }
}
