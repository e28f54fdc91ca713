// `npm run serve`: the same gateway as the desktop app, headless, with the web UI on
// http://127.0.0.1:8480 by default. Ctrl-C (SIGINT) or SIGTERM shut it down cleanly, in the same
// order as the desktop app (lifecycle/shutdown-sequence.ts); the log goes to the data folder's
// logs/ as it does there.
import { appPath } from '../config/app-root.ts';
import { dataFolders } from '../config/data-folders.ts';
import { createGateway, type Gateway } from '../gateway/create-gateway.ts';
import { createShutdownSequence, type ShutdownSequence } from '../lifecycle/shutdown-sequence.ts';
import { openLog, parseLogLevel, type OpenLog } from '../logging/logger.ts';
import { startHttpServer, type RunningHttpServer } from './http-server.ts';
import { parseServeArgs, SERVE_HELP, type ServeOptions } from './serve-options.ts';

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
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

async function main(): Promise<void> {
  let options: ServeOptions | 'help';
  try {
    options = parseServeArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${SERVE_HELP}`);
    process.exit(2);
  }
  if (options === 'help') {
    console.log(SERVE_HELP);
    process.exit(0);
  }

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

  const starting = createGateway({ dataDir: options.dataDir, databaseUrl: options.databaseUrl });
  gatewayStarting = starting;
  const gateway = await starting;
  if (shutdown.started) return;
  const serving = startHttpServer(gateway, {
    host: options.host,
    port: options.port,
    rendererDir: appPath('out', 'renderer'),
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
}

main().catch(async (error: unknown) => {
  console.error(`Gateway Workstation could not start: ${(error as Error).message}`);
  log?.logger.fatal({ err: error }, 'could not start');
  gatewayStarting = gatewayStarting.catch(() => undefined);
  serverStarting = serverStarting.catch(() => undefined);
  await stopAndExit('could not start', 1);
});
