// Walks every procedure of the router for every role and for a caller who is not signed in:
// the access table decides, in the main process, before any input is read; every mutation by a
// signed-in caller leaves an audit row, allowed or not. Procedures added later are covered
// without touching this test.
import { readFileSync } from 'node:fs';
import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USER_ROLES } from '../../common/enums.ts';
import { apiHarness, type ApiHarness } from '../../test/api-harness.ts';
import { databaseBackends } from '../../test/database-backends.ts';
import { appPath } from '../config/app-root.ts';
import { queryRows } from '../db/database.ts';
import { ACCESS_RULES, roleMay, type Access } from './access-policy.ts';
import { createConnection } from './api-context.ts';
import { ApiError } from './api-errors.ts';
import { appRouter } from './app-router.ts';
import { callProcedure, listProcedures } from './router-walk.ts';

const procedures = listProcedures(appRouter);

async function outcome(call: () => Promise<unknown>): Promise<{ code: string; reason?: string | undefined }> {
  try {
    const result = await call();
    // A subscription's iterator: end it; reaching it means the checks passed.
    const iterator = result as AsyncIterator<unknown> | undefined;
    if (iterator && typeof iterator.return === 'function') await iterator.return();
    return { code: 'OK' };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return { code: error.code, reason: error instanceof ApiError ? error.reason : undefined };
  }
}

async function auditRows(h: ApiHarness): Promise<number> {
  const [row] = await queryRows<{ n: number }>(h.services.database.db, sql`SELECT count(*)::int AS n FROM audit_logs`);
  return Number(row?.n);
}

describe('the role matrix', () => {
  const backend = databaseBackends()[0]!;
  let h: ApiHarness;
  beforeAll(async () => {
    h = await apiHarness(await backend.open());
  });
  afterAll(() => h?.close());

  it('covers a router whose every procedure declares an access level', () => {
    expect(procedures.length).toBeGreaterThan(40);
    for (const p of procedures) expect(Object.keys(ACCESS_RULES), p.path).toContain(p.access);
  });

  it('refuses a caller who is not signed in everything but the public procedures', async () => {
    for (const p of procedures) {
      const result = await outcome(() => callProcedure(h.caller(createConnection('direct')), p.path, { probe: true }));
      if (p.access === 'public') expect(result.code, p.path).not.toBe('UNAUTHORIZED');
      else expect(result, p.path).toEqual({ code: 'UNAUTHORIZED', reason: 'SIGN_IN_REQUIRED' });
    }
  });

  for (const role of USER_ROLES) {
    it(`lets ${role} call exactly what the access table allows, and audits every mutation`, async () => {
      for (const p of procedures) {
        // A fresh session per call: auth.logout must not sign the next probe out.
        const { api } = await h.signedInAs(role, `matrix-${role.toLowerCase()}`);
        const auditBefore = await auditRows(h);
        const result = await outcome(() => callProcedure(api, p.path, { probe: true }));
        expect(result.code, `${role} ${p.path}`).not.toBe('INTERNAL_SERVER_ERROR');
        if (roleMay(role, p.access)) {
          expect(result.code, `${role} ${p.path}`).not.toBe('UNAUTHORIZED');
          expect(result.reason, `${role} ${p.path}`).not.toBe('ROLE');
        } else {
          expect(result, `${role} ${p.path}`).toEqual({ code: 'FORBIDDEN', reason: 'ROLE' });
        }
        const auditAfter = await auditRows(h);
        expect(auditAfter - auditBefore, `audit rows of ${role} ${p.path}`).toBe(p.audited ? 1 : 0);
      }
    });
  }

  it('is the role table of the README', () => {
    const readme = readFileSync(appPath('README.md'), 'utf8');
    for (const access of Object.keys(ACCESS_RULES) as Access[]) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${access}\``));
      expect(row, `README row for ${access}`).toBeDefined();
      const cells = (row as string).split('|').map((cell) => cell.trim());
      // | `access` | ADMIN | MAINTENANCE | OPERATOR | VIEWER | what it covers |
      (['ADMIN', 'MAINTENANCE', 'OPERATOR', 'VIEWER'] as const).forEach((role, column) => {
        expect(cells[2 + column], `${access} / ${role}`).toBe(roleMay(role, access) ? 'yes' : '—');
      });
    }
  });
});
