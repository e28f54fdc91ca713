// pymodbus 3.0 from Debian as an independent Modbus slave (TCP, or RTU on a pty): the peer
// that checks our master against someone else's reading of the protocol. See pymodbus-slave.py.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.ts';
import { requireExecutable, requirePythonModule } from './service-requirement.ts';

type Table = Record<string, number | boolean>;
export interface PymodbusTables {
  hr?: Table;
  ir?: Table;
  co?: Table;
  di?: Table;
}

export type PymodbusTarget = { mode: 'tcp' } | { mode: 'rtu'; device: string; baudrate?: number };

export interface PymodbusSlave {
  /** the TCP port (mode tcp) */
  port: number;
  /** the Python process's id (benchmarks read its CPU time) */
  pid: number | undefined;
  stop(): Promise<void>;
}

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pymodbus-slave.py');

/** Debian's python (pymodbus is installed for /usr/bin/python3, not for other pythons on PATH). */
export function debianPython(): string | undefined {
  const python = requireExecutable('python3', 'Debian package python3', ['/usr/bin']);
  return requirePythonModule(python, 'pymodbus', 'Debian package python3-pymodbus');
}

/** Undefined (suite skips) when pymodbus is missing and services are optional. */
export async function startPymodbusSlave(
  target: PymodbusTarget,
  slaves: Record<number, PymodbusTables>,
): Promise<PymodbusSlave | undefined> {
  const python = debianPython();
  if (!python) return undefined;
  const port = target.mode === 'tcp' ? await freePort() : 0;
  const spec = { ...target, port, slaves };
  const child = spawn(python, [SCRIPT, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pymodbus did not start within 20 s:\n${output}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('READY')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`pymodbus exited with ${code}:\n${output}`));
    });
  });
  return {
    port,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        process.removeListener('exit', killOnExit);
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
