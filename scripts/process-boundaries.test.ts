// The process boundaries of ARCHITECTURE.md are enforced by eslint.config.js; this proves the
// rules fire (and do not fire) where they should, so a later config edit cannot quietly drop them.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function restrictedImportMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

describe('process boundaries', () => {
  it('refuses electron outside the Electron shell', async () => {
    const code = "import { app } from 'electron';\nexport const a = app;\n";
    expect(await restrictedImportMessages('main/bus/frame-bus.ts', code)).toEqual([
      expect.stringContaining('Only the Electron shell'),
    ]);
    expect(await restrictedImportMessages('renderer/src/app.tsx', code)).toHaveLength(1);
    expect(await restrictedImportMessages('common/enums.ts', code)).toHaveLength(1);
    expect(await restrictedImportMessages('main/electron/electron-main.ts', code)).toEqual([]);
    expect(await restrictedImportMessages('preload/preload.ts', code)).toEqual([]);
  });

  it('lets the renderer import types, not runtime code, from the main process', async () => {
    const runtime =
      "import { createGateway } from '../../main/gateway/create-gateway.ts';\nexport const g = createGateway;\n";
    expect(await restrictedImportMessages('renderer/src/app.tsx', runtime)).toEqual([
      expect.stringContaining('only types from main-process code'),
    ]);
    const typeOnly = "import type { Gateway } from '../../main/gateway/create-gateway.ts';\nexport type G = Gateway;\n";
    expect(await restrictedImportMessages('renderer/src/app.tsx', typeOnly)).toEqual([]);
    const shared = "import { USER_ROLES } from '../../common/enums.ts';\nexport const r = USER_ROLES;\n";
    expect(await restrictedImportMessages('renderer/src/app.tsx', shared)).toEqual([]);
  });

  it('keeps Node built-ins out of the renderer and common code', async () => {
    const code = "import fs from 'node:fs';\nexport const f = fs;\n";
    expect(await restrictedImportMessages('renderer/src/app.tsx', code)).toHaveLength(1);
    expect(await restrictedImportMessages('common/enums.ts', code)).toHaveLength(1);
    expect(await restrictedImportMessages('main/db/database.ts', code)).toEqual([]);
  });
});
