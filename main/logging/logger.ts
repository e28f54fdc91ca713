// The gateway's log: JSON lines (pino) in a rotating file under the data folder's logs/, used by
// the desktop app and the headless server alike. The current file is always `gateway.log`; when
// it reaches maxFileSize it becomes gateway.1.log (the older ones shift to .2, .3 …) and the
// oldest beyond keepFiles is deleted, so the folder never grows without bound and a user who
// opens it from the Help menu finds the newest lines in gateway.log.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pino, type Level, type Logger as PinoLogger } from 'pino';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';

export type Logger = PinoLogger;

export const LOG_FILE_NAME = 'gateway.log';

export interface LogOptions {
  /** the data folder's logs/ (DataFolders.logs) */
  folder: string;
  /** default 'info'; GATEWAY_LOG_LEVEL is the usual source */
  level?: Level;
  /** also write every line to stdout (development, headless server in a terminal) */
  toStdout?: boolean;
  /** rotate when the current file reaches this size; default '10M' */
  maxFileSize?: `${number}${'K' | 'M'}`;
  /** rotated files kept beside the current one; default 5 */
  keepFiles?: number;
}

export interface OpenLog {
  logger: Logger;
  /** the current log file */
  file: string;
  folder: string;
  /** writes out whatever is buffered and closes the file; safe to call twice */
  close(): Promise<void>;
}

const LEVELS: readonly Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

/** Reads a level name such as GATEWAY_LOG_LEVEL; a wrong name is an error that lists the right ones. */
export function parseLogLevel(value: string | undefined, fallback: Level = 'info'): Level {
  if (value === undefined || value === '') return fallback;
  const level = value.toLowerCase() as Level;
  if (!LEVELS.includes(level)) {
    throw new Error(`GATEWAY_LOG_LEVEL must be one of ${LEVELS.join(', ')}, not "${value}"`);
  }
  return level;
}

function rotatedName(index: number | Date | null): string {
  // In classic rotation the generator gets the rotation index (null for the current file).
  return typeof index === 'number' ? `gateway.${index}.log` : LOG_FILE_NAME;
}

export async function openLog(options: LogOptions): Promise<OpenLog> {
  const folder = path.resolve(options.folder);
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    throw new Error(`Cannot create the log folder ${folder}: ${(error as Error).message}`, { cause: error });
  }
  const file: RotatingFileStream = createStream(rotatedName as (time: number | Date) => string, {
    path: folder,
    size: options.maxFileSize ?? '10M',
    rotate: options.keepFiles ?? 5,
  });
  let fileFailed = false;
  file.on('error', (error) => {
    // A full disk or a revoked permission must not take the gateway down with it.
    if (!fileFailed) console.error(`Gateway log ${path.join(folder, LOG_FILE_NAME)} failed: ${error.message}`);
    fileFailed = true;
  });
  const level = options.level ?? 'info';
  const destination = options.toStdout
    ? pino.multistream([
        { stream: file, level },
        { stream: process.stdout, level },
      ])
    : file;
  const logger = pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      // Connection strings and credentials never reach a log file.
      redact: {
        paths: ['password', '*.password', 'databaseUrl', '*.databaseUrl', 'token', '*.token', 'authorization'],
        censor: '[redacted]',
      },
    },
    destination,
  );
  let closing: Promise<void> | undefined;
  return {
    logger,
    file: path.join(folder, LOG_FILE_NAME),
    folder,
    close() {
      closing ??= new Promise<void>((resolve) => {
        if (fileFailed || file.destroyed) {
          resolve();
          return;
        }
        file.end(() => resolve());
      });
      return closing;
    },
  };
}
