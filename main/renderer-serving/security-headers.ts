// The Content-Security-Policy and security headers the renderer is served with, by the headless
// HTTP server and by the desktop app's app:// protocol alike. The two transports need the same
// policy: the page only ever loads its own files and talks to its own origin ('self' is
// http://127.0.0.1:PORT in a browser, app://renderer in the desktop app; the typed API goes over
// same-origin WebSocket or IPC, neither of which needs anything more).
const DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  // MUI (emotion) injects <style> elements at run time.
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data: blob:"],
  ['font-src', "'self' data:"],
  // 'self' also matches ws:// and wss:// on the page's own host and port (CSP level 3).
  ['connect-src', "'self'"],
  ['media-src', "'self' data:"],
  ['worker-src', "'self'"],
  ['frame-src', "'none'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

export const CONTENT_SECURITY_POLICY = DIRECTIVES.map(([name, sources]) => `${name} ${sources}`).join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};
