// The desktop entry: the same gateway the headless server runs, in a hardened window. This is
// the only folder that may import `electron` (enforced by eslint.config.js); what the app does
// is in desktop-app.ts and the policy modules beside it.
import { app } from 'electron';
import { createGateway } from '../gateway/create-gateway.ts';
import { registerAppScheme } from './app-protocol.ts';
import { startDesktopApp } from './desktop-app.ts';

// Before the app is ready, or never: the app:// scheme's privileges and the sandbox for every
// renderer, including any a dependency might open.
registerAppScheme();
app.enableSandbox();

startDesktopApp({
  createGateway,
  // The typed API's IPC transport goes here: registerApi: (gateway, { log, appOrigins }) => …
  // returning { dispose() }. It runs once the gateway is up, before the window loads.
}).catch((error: unknown) => {
  console.error('Gateway Workstation could not start:', error);
  app.exit(1);
});
