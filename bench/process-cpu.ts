// CPU time of another process (a test server, a broker, a load publisher), so a benchmark can
// report what each process of the set-up cost beside its own process.cpuUsage(). Linux only:
// elsewhere, and for a process that has ended, it answers undefined.
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on every Linux build Node supports). */
const TICKS_PER_SECOND = 100;

/** User + system CPU time of the process in ms, or undefined when it cannot be read. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** This process's user + system CPU time in ms (all its threads: RocksDB and libuv included). */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The 1-minute load average, for the printed figures (wall-clock rates depend on it). */
export function loadAverage(): number {
  return Math.round(os.loadavg()[0]! * 10) / 10;
}
