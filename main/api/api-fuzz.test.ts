// Property-based fuzzing of every procedure's input, generated from its zod schema (and
// anything at all now and then), called as an ADMIN who may call everything: the API answers
// every input with a result or an error code and a sentence — never an internal error, never a
// crash. Procedures added later are fuzzed without touching this test. FUZZ_RUNS=1000 digs deeper.
import fc from 'fast-check';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, TEST_PASSWORD, type ApiHarness } from '../../test/api-harness.ts';
import { databaseBackends } from '../../test/database-backends.ts';
import { inputArbitrary } from '../../test/schema-arbitrary.ts';
import { createConnection } from './api-context.ts';
import { appRouter } from './app-router.ts';
import { callProcedure, listProcedures } from './router-walk.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
const SQL_LEAK =
  /\b(select|insert|update|delete)\b.*\b(from|into|set)\b|violates|syntax error|DrizzleQueryError|at .*\.ts:\d+/i;

describe('fuzzing every procedure', () => {
  const backend = databaseBackends()[0]!;
  let h: ApiHarness;
  let adminId: string;
  const connection = createConnection('direct');

  /** The fuzzer may sign the admin out, revoke or lock them: sign in again before each call. */
  async function asAdmin() {
    const token = connection.sessionToken;
    if (!token || !(await h.services.auth.authenticate(token)).ok) {
      await h.services.users.unlock(adminId);
      const signed = await h.services.auth.login('fuzz-admin', TEST_PASSWORD, { ipAddress: null, userAgent: null });
      connection.sessionToken = signed.token;
    }
    return h.caller(connection);
  }

  beforeAll(async () => {
    h = await apiHarness(await backend.open());
    adminId = (await h.signedInAs('ADMIN', 'fuzz-admin')).userId;
    // Something to find: a device with a tag, a rule, a driver configuration.
    const { api } = await h.signedInAs('ADMIN', 'fuzz-seeder');
    const device = await api.devices.create({ name: 'PLC-1', protocol: 'ModbusTcp', endpoint: '127.0.0.1:502' });
    await api.tags.create({ deviceId: device.id, name: 'T1', address: '40001', dataType: 'Float' });
    await api.alerts.rules.create({
      name: 'hot',
      conditionExpression: 'T1',
      op: 'GT',
      thresholdValue: 80,
      level: 'WARNING',
    });
  });
  afterAll(() => h?.close());

  for (const procedure of listProcedures(appRouter)) {
    it(`${procedure.path} answers every input with a result or a clear error`, async () => {
      await fc.assert(
        fc.asyncProperty(inputArbitrary(procedure.inputs), async (input) => {
          const api = await asAdmin();
          try {
            await callProcedure(api, procedure.path, input);
          } catch (error) {
            expect(error).toBeInstanceOf(TRPCError);
            const { code, message } = error as TRPCError;
            expect(code, message).not.toBe('INTERNAL_SERVER_ERROR');
            expect(message).not.toMatch(SQL_LEAK);
          }
        }),
        { numRuns: RUNS },
      );
    });
  }
});
