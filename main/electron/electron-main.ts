// The desktop entry: the same gateway the headless server runs, in a hardened window. This is
// the only folder that may import `electron` (enforced by eslint.config.js); what the app does
// is in desktop-app.ts and the policy modules beside it.
import { app } from 'electron';
import { createGateway } from '../gateway/create-gateway.ts';
import { registerAppScheme } from './app-protocol.ts';
import { startDesktopApp } from './desktop-app.ts';
import { registerIpcApi } from './ipc-api.ts';

// Before the app is ready, or never: the app:// scheme's privileges and the sandbox for every
// renderer, including any a dependency might open.
registerAppScheme();
app.enableSandbox();

startDesktopApp({
  createGateway,
  // The typed API over IPC, for the app's own pages only (ipc-sender-policy.ts); registered while
  // the gateway starts, before the window loads, and stopped before the gateway stops.
  registerApi: (gateway, { appOrigins }) => ({ dispose: registerIpcApi({ gateway, appOrigins }) }),
}).catch((error: unknown) => {
  console.error('Gateway Workstation could not start:', error);
  app.exit(1);
});
