// A database that went away: calls get a clear "cannot reach its database" error (never an
// internal error or a crash), and work again once it is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, refusalOf, type ApiHarness } from '../../test/api-harness.ts';
import { databaseBackends, migratedPgliteTemplate } from '../../test/database-backends.ts';
import { startPostgres, type PostgresServer } from '../../test/services/postgres-server.ts';
import { openDatabase, pgliteHandle } from '../db/database.ts';
import { isDatabaseUnavailable } from '../db/database-errors.ts';
import { PgliteWorkerClient } from '../db/pglite-worker-client.ts';

describe('a database that went away', () => {
  let server: PostgresServer | undefined;
  let h: ApiHarness;
  beforeAll(async () => {
    // The embedded tests start from a migrated PGlite template: made here, under the hook's
    // longer timeout, instead of inside the first of them.
    await migratedPgliteTemplate();
    server = await startPostgres();
    if (!server) return;
    h = await apiHarness(await openDatabase({ url: await server.createDatabase('outage'), poolSize: 2 }));
  });
  afterAll(async () => {
    await h?.close().catch(() => undefined);
    await server?.stop();
  });

  it('answers in words while PostgreSQL is down, and recovers when it returns', async ({ skip }) => {
    if (!server) return skip('PostgreSQL is not installed');
    const { api } = await h.signedInAs('MAINTENANCE', 'night-shift');
    await api.devices.create({ name: 'PLC', protocol: 'ModbusTcp', endpoint: 'x' });
    await server.stopServer();
    const down = await refusalOf(api.devices.create({ name: 'PLC-2', protocol: 'ModbusTcp', endpoint: 'y' }));
    expect(down).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'DATABASE_UNAVAILABLE' });
    expect(down.message).toBe(
      'The gateway cannot reach its database right now; nothing was changed. Try again in a moment.',
    );
    await server.startServer();
    expect((await api.devices.list()).map((d) => d.name)).toEqual(['PLC']);
  });

  it('says the same of a closed embedded store', async () => {
    const embedded = await apiHarness(await databaseBackends()[0]!.open());
    const { api } = await embedded.signedInAs('VIEWER', 'late');
    await embedded.close();
    // The session is still in memory; the lookup hits the closed store.
    expect(await refusalOf(api.devices.list())).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });

  it('says the same when the embedded store’s worker thread dies', async () => {
    const client = await PgliteWorkerClient.open({
      template: await migratedPgliteTemplate(),
      migrate: false,
      onCrash: () => undefined,
    });
    const embedded = await apiHarness(await pgliteHandle(client, 'embedded PGlite (in memory)'));
    const { api } = await embedded.signedInAs('MAINTENANCE', 'crash');
    await api.devices.create({ name: 'PLC', protocol: 'ModbusTcp', endpoint: 'x' });
    await client.worker.terminate();
    const down = await refusalOf(api.devices.create({ name: 'PLC-2', protocol: 'ModbusTcp', endpoint: 'y' }));
    expect(down).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'DATABASE_UNAVAILABLE' });
    await embedded.close();
  });

  it('tells connection problems from bad queries', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseUnavailable({ cause: { code: '57P01', message: 'terminating connection' } })).toBe(true);
    expect(isDatabaseUnavailable({ code: '08006' })).toBe(true);
    expect(isDatabaseUnavailable({ code: '23505' })).toBe(false);
    expect(isDatabaseUnavailable(new Error('syntax error at or near'))).toBe(false);
  });
});
