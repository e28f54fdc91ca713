// `npm run serve`: the same gateway as the desktop app, headless, with the web UI on
// http://127.0.0.1:8480 by default. Ctrl-C (SIGINT) or SIGTERM shut it down cleanly.
import { appPath } from '../config/app-root.ts';
import { createGateway, type Gateway } from '../gateway/create-gateway.ts';
import { startHttpServer, type RunningHttpServer } from './http-server.ts';
import { parseServeArgs, SERVE_HELP, type ServeOptions } from './serve-options.ts';

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

  gateway = await createGateway({ dataDir: options.dataDir, databaseUrl: options.databaseUrl });
  if (shuttingDown) return;
  server = await startHttpServer(gateway, {
    host: options.host,
    port: options.port,
    rendererDir: appPath('out', 'renderer'),
  }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EADDRINUSE'
      ? new Error(`Port ${options.port} on ${options.host} is already in use; pick another with --port`)
      : error;
  });
  if (shuttingDown) return;
  console.log(`Gateway Workstation is serving on ${server.url}`);
  console.log(`Data folder: ${gateway.folders.root} (${gateway.database.description})`);
}

main().catch(async (error: unknown) => {
  console.error(`Gateway Workstation could not start: ${(error as Error).message}`);
  await stopEverything().catch(() => undefined);
  process.exit(1);
});
