// Packs the app the way `npm run dist` does, as far as this machine allows: the project is
// staged in a temporary folder (so the test neither needs nor disturbs the project's own out/),
// built by electron-vite, and packed by the electron-builder CLI with the project's
// electron-builder.yml into an unpacked Linux app ("dir" target), over the stand-in Electron.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { writeStubElectronDist } from './stub-electron.ts';

const run = promisify(execFile);

export const NATIVE_PROBES = [
  'out/native-probe/prebuilds/linux-x64/node.napi.glibc.node',
  'out/native-probe/build/Release/addon.node',
];

export interface PackedApp {
  /** the staged project: built app in out/, the config, node_modules linked to the project's */
  stageDir: string;
  /** linux-unpacked: the executable, resources/app.asar, resources/app.asar.unpacked */
  appOutDir: string;
  executable: string;
  resourcesDir: string;
  /** electron-builder's output, for a failure message */
  log: string;
}

export async function packApp(projectDir: string, workDir?: string): Promise<PackedApp> {
  const root = workDir ?? (await mkdtemp(path.join(os.tmpdir(), 'gw-pack-')));
  const stageDir = path.join(root, 'stage');
  await mkdir(path.join(stageDir, 'drizzle'), { recursive: true });
  for (const file of ['package.json', 'package-lock.json', 'electron-builder.yml']) {
    await cp(path.join(projectDir, file), path.join(stageDir, file));
  }
  await cp(path.join(projectDir, 'drizzle', 'migrations'), path.join(stageDir, 'drizzle', 'migrations'), {
    recursive: true,
  });
  for (const folder of ['proto', 'assets']) {
    await cp(path.join(projectDir, folder), path.join(stageDir, folder), { recursive: true });
  }
  await symlink(path.join(projectDir, 'node_modules'), path.join(stageDir, 'node_modules'), 'junction');

  const bin = (name: string) => path.join(projectDir, 'node_modules', name);
  const options = { cwd: projectDir, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CI: 'true' } };
  const build = await run(
    process.execPath,
    [bin('electron-vite/bin/electron-vite.js'), 'build', '--outDir', path.join(stageDir, 'out'), '--logLevel', 'warn'],
    options,
  );
  // Until rocksdb and serialport arrive, no dependency has a native module: these two stand-in
  // files, laid out as node-gyp-build and node-gyp put them, show what asarUnpack does with one.
  for (const probe of NATIVE_PROBES) {
    await mkdir(path.dirname(path.join(stageDir, probe)), { recursive: true });
    await writeFile(path.join(stageDir, probe), 'not a real addon');
  }
  const electronDist = await writeStubElectronDist(path.join(root, 'electron-dist'));
  const output = path.join(root, 'dist');
  let log = build.stdout + build.stderr;
  try {
    const pack = await run(
      process.execPath,
      [
        bin('electron-builder/cli.js'),
        '--linux',
        'dir',
        '--x64',
        '--projectDir',
        stageDir,
        `-c.electronDist=${electronDist}`,
        `-c.directories.output=${output}`,
      ],
      options,
    );
    log += pack.stdout + pack.stderr;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`electron-builder failed:\n${log}${stdout}${stderr}`, { cause: error });
  }
  const appOutDir = path.join(output, 'linux-unpacked');
  return {
    stageDir,
    appOutDir,
    executable: path.join(appOutDir, 'gateway-workstation'),
    resourcesDir: path.join(appOutDir, 'resources'),
    log,
  };
}
