// One build for the three parts of the app. main holds two entries: the Electron shell and the
// headless server (`npm run serve`), which share all gateway code; a third is the worker thread
// embedded PGlite runs in (main/db/pglite-worker-client.ts starts out/main/pglite-worker.js).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          'electron-main': 'main/electron/electron-main.ts',
          serve: 'main/headless/serve.ts',
          'pglite-worker': 'main/db/pglite-worker.ts',
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { preload: 'preload/preload.ts' },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    build: {
      outDir: 'out/renderer',
      minify: true,
      rollupOptions: { input: 'renderer/index.html' },
    },
    plugins: [react()],
  },
});
