// CPU time of another process (a test server, a broker, a load publisher), so a benchmark can
// report what each process of the set-up cost beside its own process.cpuUsage(). Linux only:
// elsewhere, and for a process that has ended, it answers undefined.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on every Linux build Node supports). */
const TICKS_PER_SECOND = 100;

/** The fields of a /proc stat line after the command name (which may contain spaces); field 3 is [0]. */
function statFields(file: string): string[] | undefined {
  try {
    const stat = readFileSync(file, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** utime + stime of a /proc stat file in ms. */
function statCpuMs(file: string): number | undefined {
  const fields = statFields(file);
  if (!fields) return undefined;
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** User + system CPU time of the process in ms, or undefined when it cannot be read. */
export function processCpuMs(pid: number | undefined): number | undefined {
  return pid === undefined ? undefined : statCpuMs(`/proc/${pid}/stat`);
}

/**
 * User + system CPU time of a process's main thread in ms (for Node, the JavaScript thread; the
 * rest of processCpuMs is libuv's pool, V8's GC and compiler threads, native libraries' threads).
 */
export function mainThreadCpuMs(pid: number | undefined): number | undefined {
  return pid === undefined ? undefined : statCpuMs(`/proc/${pid}/task/${pid}/stat`);
}

/** This process's user + system CPU time in ms (all its threads: RocksDB and libuv included). */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** CPU time of the whole machine (every core, idle and I/O wait excluded) in ms. */
export function machineCpuMs(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already counted in user)
  const busy = cpu[0]! + cpu[1]! + cpu[2]! + cpu[5]! + cpu[6]! + cpu[7]!;
  return (busy * 1000) / TICKS_PER_SECOND;
}

export interface ProcessEntry {
  pid: number;
  /** its command line, arguments separated by spaces */
  command: string;
}

/** Every process descended from `pid` (children, their children, …), read from /proc. */
export function descendants(pid: number): ProcessEntry[] {
  const parents = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const child = Number(name);
    if (!Number.isInteger(child)) continue;
    const parent = Number(statFields(`/proc/${child}/stat`)?.[1]);
    if (!Number.isInteger(parent)) continue;
    const siblings = parents.get(parent);
    if (siblings) siblings.push(child);
    else parents.set(parent, [child]);
  }
  const found: ProcessEntry[] = [];
  const visit = (parent: number) => {
    for (const child of parents.get(parent) ?? []) {
      try {
        found.push({ pid: child, command: readFileSync(`/proc/${child}/cmdline`, 'utf8').replaceAll('\0', ' ') });
      } catch {
        continue; // ended meanwhile
      }
      visit(child);
    }
  };
  visit(pid);
  return found;
}

/** The 1-minute load average, for the printed figures (wall-clock rates depend on it). */
export function loadAverage(): number {
  return Math.round(os.loadavg()[0]! * 10) / 10;
}
