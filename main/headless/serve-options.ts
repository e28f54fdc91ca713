// The command line of the headless entry (`npm run serve -- --help`): serving, and the `user`
// command for a lost administrator password.
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { defaultDataRoot } from '../config/data-folders.ts';

export const DEFAULT_PORT = 8480;

export const SERVE_HELP = `Usage: npm run serve -- [options]
       npm run serve -- user create-admin <username> [--data-dir <folder>] [--database-url <url>]
       npm run serve -- user reset-password <username> [--data-dir <folder>] [--database-url <url>]

Runs the gateway without a window and serves the workstation UI and its API to a browser.

Options:
  --data-dir <folder>       where the gateway keeps its databases and logs
                            (default: ${defaultDataRoot()})
  --database-url <url>      PostgreSQL connection string instead of the embedded store
                            (default: the DATABASE_URL environment variable, if set)
  --host <address>          address to listen on (default: 127.0.0.1). Any other address than
                            the loopback needs --tls-cert and --tls-key, or --insecure
  --port <number>           port to listen on, 0 for any free port (default: ${DEFAULT_PORT})
  --tls-cert <file>         serve HTTPS and WSS with this PEM certificate (chain)
  --tls-key <file>          the certificate's PEM private key
  --insecure                allow plain HTTP on a non-loopback address (passwords and session
                            tokens then cross the network readable)
  --allowed-origin <url>    a web origin, besides the gateway's own address, whose pages may use
                            the API, e.g. https://gateway.plant.local:8480 (repeatable)
  --demo, --no-demo         start (or not) the demo profile; default: only on a fresh data folder
  -h, --help                show this help

The user command works on a stopped gateway's data folder; it reads the password from
standard input (one line), or asks for it twice when run in a terminal:
  user create-admin <username>     creates an ADMIN account (when every admin is locked out)
  user reset-password <username>   sets a new password, unlocks the account and ends its sessions
`;

export interface ServeOptions {
  dataDir: string;
  databaseUrl: string | undefined;
  host: string;
  port: number;
  tlsCertFile: string | undefined;
  tlsKeyFile: string | undefined;
  allowedOrigins: string[];
  /** true/false when given; 'fresh-folder' (the default) starts it only on a new data folder */
  demo: boolean | 'fresh-folder';
}

export type UserAction = 'create-admin' | 'reset-password';

export type ServeCommand =
  | { kind: 'help' }
  | { kind: 'serve'; options: ServeOptions }
  | { kind: 'user'; action: UserAction; username: string; dataDir: string; databaseUrl: string | undefined };

const USER_ACTIONS: readonly UserAction[] = ['create-admin', 'reset-password'];

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1';
}

export function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv = process.env): ServeCommand {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      insecure: { type: 'boolean' },
      'allowed-origin': { type: 'string', multiple: true },
      demo: { type: 'boolean' },
      'no-demo': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) return { kind: 'help' };
  const dataDir = values['data-dir'] ?? env.GATEWAY_DATA_DIR ?? defaultDataRoot(env);
  const databaseUrl = values['database-url'] ?? (env.DATABASE_URL || undefined);

  if (positionals.length > 0) {
    const [command, action, username, ...rest] = positionals;
    if (command !== 'user') throw new Error(`Unknown command '${command}'; the only command is 'user'`);
    if (!USER_ACTIONS.includes(action as UserAction)) {
      throw new Error(`'user' needs an action: ${USER_ACTIONS.join(' or ')}, then a username`);
    }
    if (!username || rest.length > 0) throw new Error(`'user ${action}' needs exactly one username`);
    const serverOnly = ['host', 'port', 'tls-cert', 'tls-key', 'insecure', 'allowed-origin', 'demo', 'no-demo'];
    const misplaced = serverOnly.filter((name) => values[name as keyof typeof values] !== undefined);
    if (misplaced.length > 0) throw new Error(`--${misplaced[0]} has no meaning for the user command`);
    return { kind: 'user', action: action as UserAction, username, dataDir, databaseUrl };
  }

  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a whole number from 0 to 65535, not "${values.port}"`);
  }
  const host = values.host ?? '127.0.0.1';
  const tlsCertFile = values['tls-cert'];
  const tlsKeyFile = values['tls-key'];
  if ((tlsCertFile === undefined) !== (tlsKeyFile === undefined)) {
    throw new Error('--tls-cert and --tls-key go together: give both, or neither');
  }
  if (!isLoopbackHost(host) && tlsCertFile === undefined && !values.insecure) {
    throw new Error(
      `Listening on ${host} lets other computers reach the gateway: give --tls-cert and --tls-key so that passwords travel encrypted, or --insecure to accept plain HTTP`,
    );
  }
  for (const origin of values['allowed-origin'] ?? []) {
    if (!/^https?:\/\/[^/]+\/?$/.test(origin)) {
      throw new Error(
        `--allowed-origin must be a web origin such as https://gateway.plant.local:8480, not "${origin}"`,
      );
    }
  }
  if (values.demo && values['no-demo']) throw new Error('--demo and --no-demo contradict each other');
  return {
    kind: 'serve',
    options: {
      dataDir,
      databaseUrl,
      host,
      port,
      tlsCertFile,
      tlsKeyFile,
      allowedOrigins: values['allowed-origin'] ?? [],
      demo: values.demo ? true : values['no-demo'] ? false : 'fresh-folder',
    },
  };
}
