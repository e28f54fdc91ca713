// A plugin file and its sha256: registration copies the vendor's file into the data folder's
// plugins/ under its hash, and every load checks the copy's hash against driver_registry.file_hash
// first, so a file changed after registration is never run.
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export async function sha256Of(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

export class PluginHashError extends Error {
  override readonly name = 'PluginHashError';
}

/** Resolves when the file's sha256 is `expected`; rejects with a sentence otherwise. */
export async function verifyPluginFile(file: string, expected: string): Promise<void> {
  let actual;
  try {
    actual = await sha256Of(file);
  } catch (error) {
    throw new PluginHashError(
      `the plugin file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  if (actual !== expected.toLowerCase()) {
    throw new PluginHashError(
      `the plugin file ${file} changed after registration (sha256 ${actual}, registered ${expected.toLowerCase()}): it was not loaded; an administrator must register it again`,
    );
  }
}

/** Copies a verified plugin file into `folder` as <sha256>.mjs; returns the copy's path. */
export async function installPluginFile(source: string, sha256: string, folder: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  const target = path.join(folder, `${sha256.toLowerCase()}.mjs`);
  await copyFile(source, target);
  return target;
}
