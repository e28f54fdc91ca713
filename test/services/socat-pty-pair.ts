// A virtual serial cable for tests: socat links two ptys, `master` for the gateway and `slave`
// for the peer (pymodbus, the simulator). Killing socat is pulling the cable: both ends vanish;
// restart() plugs it back in under the same paths.
import { spawn, type ChildProcess } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { requireExecutable } from './service-requirement.ts';

export interface PtyPair {
  /** the gateway's end */
  master: string;
  /** the peer's end */
  slave: string;
  /** kills socat: both ends disappear */
  unplug(): Promise<void>;
  /** starts socat again with the same paths */
  plugIn(): Promise<void>;
  stop(): Promise<void>;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** Undefined (suite skips) when socat is missing and services are optional. */
export async function startPtyPair(): Promise<PtyPair | undefined> {
  const socat = requireExecutable('socat', 'Debian package socat');
  if (!socat) return undefined;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gw-pty-'));
  const master = path.join(dir, 'master');
  const slave = path.join(dir, 'slave');
  let child: ChildProcess | undefined;
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  const plugIn = async () => {
    child = spawn(socat, [`pty,raw,echo=0,link=${master}`, `pty,raw,echo=0,link=${slave}`], { stdio: 'ignore' });
    const deadline = Date.now() + 5000;
    while (!((await exists(master)) && (await exists(slave)))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error('socat did not create the pty pair');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const unplug = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
    // socat removes its links on a clean exit only; a killed socat leaves them dangling
    await rm(master, { force: true });
    await rm(slave, { force: true });
  };
  await plugIn();
  return {
    master,
    slave,
    unplug,
    plugIn,
    async stop() {
      await unplug();
      process.removeListener('exit', killOnExit);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
