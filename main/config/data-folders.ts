// Where the gateway keeps its state. One root folder holds everything, so that a user can back
// it up, move it or delete it as a whole. The Electron shell passes app.getPath('userData');
// the headless entry uses --data-dir or the platform default below.
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface DataFolders {
  root: string;
  /** embedded PostgreSQL (PGlite) cluster */
  pglite: string;
  /** RocksDB write-ahead log */
  wal: string;
  /** RocksDB embedded series store (historian without InfluxDB) */
  series: string;
  /** OPC UA certificates (own and trusted/rejected peers) */
  pki: string;
  /** rotating log files */
  logs: string;
  /** registered plugin drivers */
  plugins: string;
}

export function dataFolders(root: string): DataFolders {
  const abs = path.resolve(root);
  return {
    root: abs,
    pglite: path.join(abs, 'pglite'),
    wal: path.join(abs, 'wal'),
    series: path.join(abs, 'series'),
    pki: path.join(abs, 'pki'),
    logs: path.join(abs, 'logs'),
    plugins: path.join(abs, 'plugins'),
  };
}

/** The per-user default, matching what Electron's app.getPath('userData') gives the desktop app. */
export function defaultDataRoot(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const productFolder = 'Gateway Workstation';
  if (platform === 'win32') {
    return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), productFolder);
  }
  if (platform === 'darwin') {
    return path.join(os.homedir(), 'Library', 'Application Support', productFolder);
  }
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), productFolder);
}

/** A data folder that does not exist yet or is empty: the gateway's first start there. */
export function isFreshDataFolder(root: string): boolean {
  return !existsSync(root) || readdirSync(root).length === 0;
}
