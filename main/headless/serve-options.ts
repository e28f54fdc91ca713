// Command-line options of the headless entry (`npm run serve -- --help`).
import { parseArgs } from 'node:util';
import { defaultDataRoot } from '../config/data-folders.ts';

export const DEFAULT_PORT = 8480;

export const SERVE_HELP = `Usage: npm run serve -- [options]

Runs the gateway without a window and serves the workstation UI to a browser.

Options:
  --data-dir <folder>     where the gateway keeps its databases and logs
                          (default: ${defaultDataRoot()})
  --host <address>        address to listen on (default: 127.0.0.1)
  --port <number>         port to listen on, 0 for any free port (default: ${DEFAULT_PORT})
  --database-url <url>    PostgreSQL connection string instead of the embedded store
                          (default: the DATABASE_URL environment variable, if set)
  -h, --help              show this help
`;

export interface ServeOptions {
  dataDir: string;
  host: string;
  port: number;
  databaseUrl: string | undefined;
}

export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ServeOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'database-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a whole number from 0 to 65535, not "${values.port}"`);
  }
  return {
    dataDir: values['data-dir'] ?? env.GATEWAY_DATA_DIR ?? defaultDataRoot(env),
    host: values.host ?? '127.0.0.1',
    port,
    databaseUrl: values['database-url'] ?? (env.DATABASE_URL || undefined),
  };
}
