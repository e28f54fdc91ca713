// The preload script runs in the sandboxed renderer before the page. It will expose the typed
// API client through contextBridge, and nothing else.
export {};
