// `npm run serve`: the same gateway as the desktop app, headless, with the web UI and its API on
// http://127.0.0.1:8480 by default. Ctrl-C (SIGINT) or SIGTERM shut it down cleanly.
// `npm run serve -- user …` manages accounts from the terminal instead (user-command.ts).
import { readFileSync } from 'node:fs';
import { appPath } from '../config/app-root.ts';
import { isFreshDataFolder } from '../config/data-folders.ts';
import { createGateway, type Gateway } from '../gateway/create-gateway.ts';
import { startHttpServer, type RunningHttpServer } from './http-server.ts';
import { isLoopbackHost, parseCommandLine, SERVE_HELP, type ServeCommand, type ServeOptions } from './serve-options.ts';
import { runUserCommand } from './user-command.ts';

let gateway: Gateway | undefined;
let server: RunningHttpServer | undefined;
let shuttingDown = false;

async function stopEverything(): Promise<void> {
  await server?.close();
  await gateway?.stop();
}

// Installed before anything starts, so that a Ctrl-C during start-up also shuts down cleanly
// (without a listener Node would die at once, mid-write).
function onSignal(signal: NodeJS.Signals): void {
  if (shuttingDown) {
    console.log(`Received ${signal} again: exiting now.`);
    process.exit(1);
  }
  shuttingDown = true;
  console.log(`Received ${signal}: shutting down…`);
  stopEverything().then(
    () => {
      console.log('Stopped cleanly.');
      process.exit(0);
    },
    (error: unknown) => {
      console.error('Shutdown failed:', error);
      process.exit(1);
    },
  );
}

function readTlsFile(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new Error(`Cannot read the TLS ${what} ${file}: ${(error as Error).message}`, { cause: error });
  }
}

async function serve(options: ServeOptions): Promise<void> {
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const tls =
    options.tlsCertFile && options.tlsKeyFile
      ? { cert: readTlsFile(options.tlsCertFile, 'certificate'), key: readTlsFile(options.tlsKeyFile, 'key') }
      : undefined;
  const demo = options.demo === 'fresh-folder' ? isFreshDataFolder(options.dataDir) : options.demo;
  gateway = await createGateway({ dataDir: options.dataDir, databaseUrl: options.databaseUrl, demo });
  if (shuttingDown) return;
  server = await startHttpServer(gateway, {
    host: options.host,
    port: options.port,
    rendererDir: appPath('out', 'renderer'),
    tls,
    allowedOrigins: options.allowedOrigins,
  }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EADDRINUSE'
      ? new Error(`Port ${options.port} on ${options.host} is already in use; pick another with --port`)
      : error;
  });
  if (shuttingDown) return;
  console.log(`Gateway Workstation is serving on ${server.url}`);
  console.log(`Data folder: ${gateway.folders.root} (${gateway.database.description})`);
  if (!tls && !isLoopbackHost(options.host)) {
    console.warn('Warning: plain HTTP on a network address (--insecure): passwords cross the network readable.');
  }
  if (await gateway.auth.needsFirstAdmin()) {
    // 0.0.0.0 and :: mean "every address of this computer": not an address to open.
    const openUrl = server.url.replace(/\/\/(0\.0\.0\.0|\[::\])(?=:)/, '//<this computer>');
    console.log(`First start: open ${openUrl} and create the administrator account.`);
    if (!isLoopbackHost(options.host)) {
      console.log(`From another computer, the setup code is: ${gateway.auth.firstAdminSetupCode}`);
    }
  }
}

async function main(): Promise<void> {
  let command: ServeCommand;
  try {
    command = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${SERVE_HELP}`);
    process.exit(2);
  }
  if (command.kind === 'help') {
    console.log(SERVE_HELP);
    process.exit(0);
  }
  if (command.kind === 'user') {
    process.exit(await runUserCommand(command, { input: process.stdin, output: process.stdout }));
  }
  await serve(command.options);
}

main().catch(async (error: unknown) => {
  console.error(`Gateway Workstation could not start: ${(error as Error).message}`);
  await stopEverything().catch(() => undefined);
  process.exit(1);
});
