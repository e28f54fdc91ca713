// mbpoll (Debian package mbpoll, libmodbus) as an independent Modbus master: it checks that our
// simulator answers as a real slave must, over TCP and RTU.
import { execFile } from 'node:child_process';
import { requireExecutable } from './service-requirement.ts';

export interface MbpollResult {
  /** reference → printed value ("123", "65531 (-5)", "3.5") */
  values: Record<number, string>;
  output: string;
  code: number;
}

/** The mbpoll binary, or undefined (suite skips) when it is missing and services are optional. */
export function findMbpoll(): string | undefined {
  return requireExecutable('mbpoll', 'Debian package mbpoll');
}

export function mbpoll(binary: string, args: string[]): Promise<MbpollResult> {
  return new Promise((resolve) => {
    execFile(binary, ['-1', ...args], { timeout: 10_000 }, (error, stdout, stderr) => {
      const values: Record<number, string> = {};
      for (const match of stdout.matchAll(/^\[(\d+)\]:\s+(.+)$/gm))
        values[Number(match[1])] = (match[2] as string).trim();
      const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
      resolve({ values, output: `${stdout}\n${stderr}`, code });
    });
  });
}
