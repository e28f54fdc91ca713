// `npm run serve`: the same gateway as the desktop app, headless, with the web UI and its API on
// http://127.0.0.1:8480 by default. Ctrl-C (SIGINT) or SIGTERM shut it down cleanly, in the same
// order as the desktop app (lifecycle/shutdown-sequence.ts); the log goes to the data folder's
// logs/ as it does there. `npm run serve -- user …` manages accounts from the terminal instead
// (user-command.ts).
//
// Start-up order, for a sign-in page at once: the data folder is locked and the database opened
// first (embedded PGlite starts in its worker thread), then the HTTP server listens and serves
// the page while the gateway's modules load and the gateway starts beside it. Until it runs, the
// API answers only the start's progress (gateway-startup.ts) and /healthz answers 503.
import { readFileSync } from 'node:fs';
import { appPath } from '../config/app-root.ts';
import { lockDataFolder } from '../config/data-folder-lock.ts';
import { dataFolders, isFreshDataFolder } from '../config/data-folders.ts';
import { openDatabase } from '../db/database.ts';
import type { Gateway } from '../gateway/create-gateway.ts';
import { GatewayStartup, START_STAGE_TEXT } from '../gateway/gateway-startup.ts';
import { createShutdownSequence, type ShutdownSequence } from '../lifecycle/shutdown-sequence.ts';
import { openLog, parseLogLevel, type OpenLog } from '../logging/logger.ts';
import { startHttpServer, type RunningHttpServer } from './http-server.ts';
import { isLoopbackHost, parseCommandLine, SERVE_HELP, type ServeCommand, type ServeOptions } from './serve-options.ts';

/** The latest the gateway's modules start loading after the server listens (see serve()). */
const GATEWAY_MODULES_AFTER_MS = 750;

/** How long the page keeps saying why the gateway could not start before the server exits. */
const FAILED_START_GRACE_MS = 30_000;

let log: OpenLog | undefined;
let shutdown: ShutdownSequence | undefined;
let gatewayStarting: Promise<Gateway | undefined> = Promise.resolve(undefined);
let serverStarting: Promise<RunningHttpServer | undefined> = Promise.resolve(undefined);
let signalled = false;
/** the gateway could not start: the process exits with 1 whatever ends it */
let startFailed = false;

async function stopAndExit(reason: string, exitCode: number): Promise<never> {
  const outcome = await shutdown?.run(reason);
  await log?.close();
  if (outcome && outcome.failed.length > 0) {
    console.error(`Stopped with errors (${outcome.failed.join(', ')}); see ${log?.file}`);
    process.exit(1);
  }
  console.log('Stopped cleanly.');
  process.exit(startFailed ? 1 : exitCode);
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
  const folders = dataFolders(options.dataDir);
  // An embedded database not created yet: the page says the first administrator comes next.
  const freshDataFolder = !options.databaseUrl && isFreshDataFolder(folders.pglite);
  // Before anything else: a second gateway on this folder is refused before it opens a port.
  const lock = lockDataFolder(folders.root);
  const opening = openDatabase({ url: options.databaseUrl, pgliteDir: folders.pglite });
  opening.catch(() => undefined); // its failure is awaited below
  const startup = new GatewayStartup<Gateway>({ freshDataFolder });

  log = await openLog({
    folder: folders.logs,
    level: parseLogLevel(process.env.GATEWAY_LOG_LEVEL),
  });
  const { logger } = log;
  shutdown = createShutdownSequence({
    stepTimeoutMs: 20_000,
    log: logger,
    steps: [
      { name: 'close the HTTP server', run: async () => (await serverStarting)?.close() },
      { name: 'stop the gateway', run: async () => (await gatewayStarting)?.stop() },
    ],
  });
  logger.info({ dataDir: options.dataDir, host: options.host, port: options.port }, 'starting headless');
  // Each stage with the time since the process started: where a slow start spends it.
  startup.onChange((state) => {
    if (state.phase !== 'starting') return;
    logger.info({ stage: state.stage, sinceStartMs: Math.round(performance.now()) }, START_STAGE_TEXT[state.stage]);
  });

  const serving = startHttpServer(startup, {
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
  serverStarting = serving.catch(() => undefined);
  const starting = (async (): Promise<Gateway> => {
    try {
      // Listening first, then the page's files, then the API for the page's first call: the
      // gateway's modules (a second or more of the main thread on a busy machine) load after
      // those, while PGlite starts in its worker; at the latest once the database is open or
      // GATEWAY_MODULES_AFTER_MS have passed (no page asked: no reason to wait).
      const listening = await serving;
      await Promise.race([
        listening.apiLoaded,
        opening.then(undefined, () => undefined),
        new Promise((resolve) => setTimeout(resolve, GATEWAY_MODULES_AFTER_MS)),
      ]);
      if (shutdown?.started) throw new Error('stopped while starting');
      const { createGateway } = await import('../gateway/create-gateway.ts');
      const database = await opening;
      return await createGateway(
        {
          dataDir: options.dataDir,
          databaseUrl: options.databaseUrl,
          demo,
          ...(options.historian && { historian: options.historian }),
        },
        { database, lock, onStage: (stage) => startup.stage(stage) },
      );
    } catch (error) {
      // createGateway closes what it was given when it fails; both are safe to close twice
      await (await opening.catch(() => undefined))?.close().catch(() => undefined);
      lock.release();
      throw error;
    }
  })();
  // The shutdown waits for a gateway still starting, so a Ctrl-C during start-up cannot leave it open.
  gatewayStarting = starting.catch(() => undefined);

  const server = await serving;
  if (shutdown.started) return;
  logger.info({ url: server.url, sinceStartMs: Math.round(performance.now()) }, 'sign-in page served');
  console.log(`Gateway Workstation is starting; the sign-in page is at ${server.url}`);
  if (!tls && !isLoopbackHost(options.host)) {
    console.warn('Warning: plain HTTP on a network address (--insecure): passwords cross the network readable.');
  }

  let gateway: Gateway;
  try {
    gateway = await starting;
  } catch (error) {
    if (shutdown.started) return;
    startFailed = true;
    startup.failed(error);
    console.error(`Gateway Workstation could not start: ${(error as Error).message}`);
    logger.fatal({ err: error }, 'could not start');
    console.error(
      `The page at ${server.url} says so too; exiting in ${FAILED_START_GRACE_MS / 1000} s (Ctrl-C exits now).`,
    );
    await new Promise((resolve) => setTimeout(resolve, FAILED_START_GRACE_MS));
    await stopAndExit('could not start', 1);
    return;
  }
  if (shutdown.started) return;
  startup.ready(gateway);
  logger.info(
    { url: server.url, database: gateway.database.description, sinceStartMs: Math.round(performance.now()) },
    'serving',
  );
  console.log(`Gateway Workstation is serving on ${server.url}`);
  console.log(`Data folder: ${gateway.folders.root} (${gateway.database.description})`);
  console.log(`Log: ${log.file}`);
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
