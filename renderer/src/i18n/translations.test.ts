// Both languages have every text, and every text the screens ask for exists: a key written in
// the code (t('devices.add')) or made from an enum (t(`levels.${level}`)).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ALERT_LEVELS,
  ALERT_STATUSES,
  COMPARE_OPS,
  DEVICE_STATUSES,
  PROTOCOL_KINDS,
  TAG_ACCESS,
  USER_ROLES,
  USER_STATUSES,
} from '../../../common/enums.ts';
import { START_STAGES } from '../../../main/gateway/gateway-startup.ts';
import { PAGES } from '../stores/page-names.ts';
import { en } from './en.ts';
import { zhCN } from './zh-cn.ts';

function keysOf(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keysOf(value as object, `${prefix}${key}.`),
  );
}

const english = new Set(keysOf(en));
/** i18next's plural forms: key_one, key_other */
const has = (key: string) => english.has(key) || english.has(`${key}_other`);

async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.includes('.test.'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('translations', () => {
  it('zh-CN has exactly the English keys, none empty', () => {
    expect(keysOf(zhCN).sort()).toEqual([...english].sort());
    for (const key of keysOf(zhCN)) {
      const value = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], zhCN);
      expect(value, key).not.toBe('');
    }
  });

  it('every key the code names exists', async () => {
    const missing: string[] = [];
    for (const file of await sourceFiles(path.join(import.meta.dirname, '..'))) {
      const text = await readFile(file, 'utf8');
      for (const match of text.matchAll(/\bt\('([\w.]+)'/g)) {
        if (!has(match[1] as string)) missing.push(`${path.basename(file)}: ${match[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every key made from an enum or a screen exists', () => {
    const made = [
      ...USER_ROLES.map((value) => `roles.${value}`),
      ...USER_STATUSES.map((value) => `userStatus.${value}`),
      ...DEVICE_STATUSES.map((value) => `deviceStatus.${value}`),
      ...PROTOCOL_KINDS.map((value) => `protocols.${value}`),
      ...ALERT_LEVELS.map((value) => `levels.${value}`),
      ...ALERT_STATUSES.map((value) => `alertStatus.${value}`),
      ...TAG_ACCESS.map((value) => `access.${value}`),
      ...COMPARE_OPS.map((value) => `operators.${value}`),
      ...PAGES.map((page) => `nav.${page}`),
      ...START_STAGES.map((stage) => `startup.stages.${stage}`),
      ...['acknowledge', 'shelve'].flatMap((action) => [`alerts.${action}Title`, `alerts.${action}Partly`]),
      ...['minutes', 'hours', 'days'].flatMap((unit) => [`alerts.duration.${unit}`, `alerts.units.${unit}`]),
      ...['not-a-number', 'too-short', 'too-long'].map((problem) => `alerts.shelveProblem.${problem}`),
      ...['lock', 'unlock', 'revoke', 'delete'].flatMap((kind) =>
        ['title', 'text', 'action'].map((part) => `users.confirm.${kind}.${part}`),
      ),
    ];
    expect(made.filter((key) => !has(key))).toEqual([]);
  });
});
