// The PGlite worker's entry when the gateway runs from its TypeScript sources (Vitest, tsx
// benchmarks): loads pglite-worker.ts through tsx, because `--import tsx` in a worker's execArgv
// does not reach its entry module on Node 20. The built app starts out/main/pglite-worker.js
// instead and never loads this file (tsx is a development dependency).
import { tsImport } from 'tsx/esm/api';

const source = new URL('./pglite-worker.ts', import.meta.url).href;
await tsImport(source, import.meta.url);
