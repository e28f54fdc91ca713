// `npm run serve`: the same gateway as the desktop app, headless, with the web UI and its API on
// http://127.0.0.1:8480 by default. Ctrl-C (SIGINT) or SIGTERM shut it down cleanly, in the same
// order as the desktop app (lifecycle/shutdown-sequence.ts); the log goes to the data folder's
// logs/ as it does there. `npm run serve -- user …` manages accounts from the terminal instead
// (user-command.ts).
//
// Start-up order, for a quick sign-in page: the data folder is locked and the database opened
// first (embedded PGlite starts in its worker thread), and only then are the gateway's and the
// HTTP server's modules loaded, while PGlite starts beside them.
import { readFileSync } from 'node:fs';
import { appPath } from '../config/app-root.ts';
import { lockDataFolder } from '../config/data-folder-lock.ts';
import { dataFolders, isFreshDataFolder } from '../config/data-folders.ts';
import { openDatabase } from '../db/database.ts';
import type { Gateway } from '../gateway/create-gateway.ts';
import { createShutdownSequence, type ShutdownSequence } from '../lifecycle/shutdown-sequence.ts';
import { openLog, parseLogLevel, type OpenLog } from '../logging/logger.ts';
import type { RunningHttpServer } from './http-server.ts';
import { isLoopbackHost, parseCommandLine, SERVE_HELP, type ServeCommand, type ServeOptions } from './serve-options.ts';

let log: OpenLog | undefined;
let shutdown: ShutdownSequence | undefined;
let gatewayStarting: Promise<Gateway | undefined> = Promise.resolve(undefined);
let serverStarting: Promise<RunningHttpServer | undefined> = Promise.resolve(undefined);
let signalled = false;

async function stopAndExit(reason: string, exitCode: number): Promise<never> {
  const outcome = await shutdown?.run(reason);
  await log?.close();
  if (outcome && outcome.failed.length > 0) {
    console.error(`Stopped with errors (${outcome.failed.join(', ')}); see ${log?.file}`);
    process.exit(1);
  }
  console.log('Stopped cleanly.');
  process.exit(exitCode);
}

// Installed before anything starts, so that a Ctrl-C during start-up also shuts down cleanly
// (without a listener Node would die at once, mid-write).
function onSignal(signal: NodeJS.Signals): void {
  if (signalled) {
    console.log(`Received ${signal} again: exiting now.`);
    process.exit(1);
  }
  signalled = true;
  console.log(`Received ${signal}: shutting down…`);
  void stopAndExit(signal, 0);
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

  log = await openLog({
    folder: dataFolders(options.dataDir).logs,
    level: parseLogLevel(process.env.GATEWAY_LOG_LEVEL),
  });
  const { logger } = log;
  shutdown = createShutdownSequence({
    stepTimeoutMs: 20_000,
    log: logger,
    steps: [
      { name: 'close the HTTP server', run: async () => (await serverStarting)?.close() },
      // Waits for a gateway still starting, so a Ctrl-C during start-up cannot leave it open.
      { name: 'stop the gateway', run: async () => (await gatewayStarting)?.stop() },
    ],
  });
  logger.info({ dataDir: options.dataDir, host: options.host, port: options.port }, 'starting headless');

  const starting = (async () => {
    const folders = dataFolders(options.dataDir);
    const lock = lockDataFolder(folders.root);
    const opening = openDatabase({ url: options.databaseUrl, pgliteDir: folders.pglite });
    opening.catch(() => undefined); // its failure is awaited below, once the modules have loaded
    try {
      const [{ createGateway }] = await Promise.all([
        import('../gateway/create-gateway.ts'),
        import('./http-server.ts'), // loaded now too, while the database starts
      ]);
      const database = await opening;
      return await createGateway(
        {
          dataDir: options.dataDir,
          databaseUrl: options.databaseUrl,
          demo,
          ...(options.historian && { historian: options.historian }),
        },
        { database, lock },
      );
    } catch (error) {
      // createGateway closes what it was given when it fails; both are safe to close twice
      await (await opening.catch(() => undefined))?.close().catch(() => undefined);
      lock.release();
      throw error;
    }
  })();
  gatewayStarting = starting;
  const gateway = await starting;
  if (shutdown.started) return;
  const { startHttpServer } = await import('./http-server.ts');
  const serving = startHttpServer(gateway, {
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
  serverStarting = serving;
  const server = await serving;
  if (shutdown.started) return;
  logger.info({ url: server.url, database: gateway.database.description }, 'serving');
  console.log(`Gateway Workstation is serving on ${server.url}`);
  console.log(`Data folder: ${gateway.folders.root} (${gateway.database.description})`);
  console.log(`Log: ${log.file}`);
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
    const { runUserCommand } = await import('./user-command.ts');
    process.exit(await runUserCommand(command, { input: process.stdin, output: process.stdout }));
  }
  await serve(command.options);
}

main().catch(async (error: unknown) => {
  console.error(`Gateway Workstation could not start: ${(error as Error).message}`);
  log?.logger.fatal({ err: error }, 'could not start');
  gatewayStarting = gatewayStarting.catch(() => undefined);
  serverStarting = serverStarting.catch(() => undefined);
  await stopAndExit('could not start', 1);
});
