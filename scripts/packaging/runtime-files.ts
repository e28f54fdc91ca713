// The files the packaged app needs at run time, computed from what is really there: the built
// app (out/, without source maps), its migrations, proto files and package.json, and every file
// of every production dependency that Node or the dependency itself may load (npm's own list of
// the production tree, so a dependency added later, native or not, is covered without an edit
// here). Documentation, type declarations, source maps and test folders are not needed.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Paths relative to the project folder, with forward slashes, as they appear in app.asar. */
export interface RuntimeFiles {
  app: string[];
  /** by package folder (node_modules/…): its runtime files */
  dependencies: Map<string, string[]>;
}

const NOT_AT_RUN_TIME = [
  /\.map$/i,
  /\.d\.[cm]?ts$/i,
  /\.(md|markdown)$/i,
  /(^|\/)(readme|changelog|history|authors|contributing|license|licence|notice)(\.[a-z]+)?$/i,
  /(^|\/)(test|tests|__tests__|example|examples|docs?)\//i,
  /(^|\/)\.[^/]+(\/|$)/, // dotfiles and dot folders: .npmignore, .github/ …
  /\.(ts|tsx|mts|cts)$/i, // TypeScript sources some packages ship beside their JavaScript
  /(^|\/)tsconfig[^/]*\.json$/i,
  // CI files some packages ship (electron-builder's default file filter leaves them out)
  /(^|\/)(appveyor|\.travis|circle)\.yml$/i,
  // Native modules' C/C++ sources and build files: the prebuilds are what loads (the
  // electron-builder.yml `files` list leaves these out of the package).
  /\.(c|cc|cpp|h|hpp|gyp|gypi)$/i,
  /^node_modules\/rocksdb\/deps\//,
];

export function neededAtRunTime(relative: string): boolean {
  return !NOT_AT_RUN_TIME.some((pattern) => pattern.test(relative));
}

async function walk(root: string, folder = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, folder), { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const relative = folder ? `${folder}/${entry.name}` : entry.name;
    // A dependency's own node_modules are separate packages, listed by npm on their own.
    if (entry.isDirectory() && entry.name === 'node_modules') continue;
    if (entry.isDirectory()) files.push(...(await walk(root, relative)));
    else if (entry.isFile()) files.push(relative);
  }
  return files;
}

/** The production dependency folders, from `npm ls --omit=dev --all --parseable`. */
export async function productionPackages(projectDir: string): Promise<string[]> {
  const { stdout } = await run('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: projectDir,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string; message: string }) => {
    // npm ls exits 1 on a problem in the tree (extraneous, missing); its list is still printed.
    if (error.stdout) return { stdout: error.stdout };
    throw new Error(`npm ls failed in ${projectDir}: ${error.message}`);
  });
  const root = path.resolve(projectDir);
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && path.resolve(line) !== root)
    .map((line) => path.relative(root, line).split(path.sep).join('/'));
}

/**
 * @param appDir the folder holding the built app (out/, drizzle/, proto/, package.json)
 * @param projectDir the project whose installed production dependencies are packed
 */
export async function runtimeFiles(appDir: string, projectDir: string): Promise<RuntimeFiles> {
  const app = [
    ...(await walk(path.join(appDir, 'out'))).map((file) => `out/${file}`),
    ...(await walk(path.join(appDir, 'drizzle', 'migrations'))).map((file) => `drizzle/migrations/${file}`),
    ...(await readdir(path.join(appDir, 'proto'))).filter((file) => file.endsWith('.proto')).map((f) => `proto/${f}`),
    'package.json',
  ].filter((file) => !file.endsWith('.map'));

  // A root devDependency that a production package names as a peer (typescript, for tRPC's types)
  // is listed by npm but is not loaded at run time, and electron-builder leaves it out.
  const rootPackage = JSON.parse(await readFile(path.join(projectDir, 'package.json'), 'utf8')) as {
    devDependencies?: Record<string, string>;
  };
  const devOnly = new Set(Object.keys(rootPackage.devDependencies ?? {}).map((name) => `node_modules/${name}`));
  const dependencies = new Map<string, string[]>();
  for (const folder of await productionPackages(projectDir)) {
    if (devOnly.has(folder)) continue;
    const files = (await walk(path.join(projectDir, folder))).filter((file) => neededAtRunTime(`${folder}/${file}`));
    // A types-only package (@types/*) has nothing but its package.json left: nothing runs from it.
    if (files.every((file) => file === 'package.json')) continue;
    dependencies.set(
      folder,
      files.map((file) => `${folder}/${file}`),
    );
  }
  return { app, dependencies };
}
