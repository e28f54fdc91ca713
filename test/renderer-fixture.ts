// A stand-in for the built renderer (out/renderer) in a temporary folder, with files beside it
// that no request for the renderer may ever reach.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface RendererFixture {
  /** the folder holding the renderer folder and the files beside it */
  parent: string;
  rendererDir: string;
  remove(): Promise<void>;
}

/**
 * @param files paths under the renderer folder and their contents
 * @param beside paths next to the renderer folder (targets of traversal attempts)
 */
export async function writeRendererFixture(
  files: Record<string, string | Uint8Array>,
  beside: Record<string, string>,
): Promise<RendererFixture> {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'gw-renderer-'));
  const rendererDir = path.join(parent, 'renderer');
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(rendererDir, name)), { recursive: true });
    await writeFile(path.join(rendererDir, name), content);
  }
  for (const [name, content] of Object.entries(beside)) await writeFile(path.join(parent, name), content);
  return { parent, rendererDir, remove: () => rm(parent, { recursive: true, force: true }) };
}
