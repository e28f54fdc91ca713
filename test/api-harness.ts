// The API of a real gateway (createGateway: frame bus, RocksDB WAL, drivers) over a test
// database, called directly (no transport): a manual clock, cheap password hashing, and helpers
// to sign in as a user of any role.
import { TRPCError } from '@trpc/server';
import type { UserRole } from '../common/enums.ts';
import type { AuthSettings } from '../main/auth/auth-service.ts';
import { appRouter } from '../main/api/app-router.ts';
import { createConnection, type ApiConnection } from '../main/api/api-context.ts';
import type { ApiError } from '../main/api/api-errors.ts';
import { createCallerFactory } from '../main/api/trpc.ts';
import type { DatabaseHandle } from '../main/db/database.ts';
import { manualClock, type ManualClock } from '../main/gateway/clock.ts';
import { createGateway, type Gateway } from '../main/gateway/create-gateway.ts';
import { GatewayStartup } from '../main/gateway/gateway-startup.ts';
import { tempDir } from './frame-fixtures.ts';

/** scrypt at N=2^10: the same code path, a thousandth of the work. */
export const TEST_HASH_COST = { logN: 10, r: 8, p: 1 };

export const TEST_PASSWORD = 'correct horse battery';

const createCaller = createCallerFactory(appRouter);

export interface ApiHarness {
  /** the gateway is the API's services */
  services: Gateway;
  clock: ManualClock;
  /** a caller on its own connection (not signed in unless the connection has a token) */
  caller(connection?: ApiConnection): ReturnType<typeof createCaller>;
  /** creates a user (first call: the first ADMIN) and returns a caller signed in as them */
  signedInAs(
    role: UserRole,
    username?: string,
  ): Promise<{ api: ReturnType<typeof createCaller>; connection: ApiConnection; userId: string }>;
  close(): Promise<void>;
}

/** A gateway in a temp data folder over `database` (which it closes with the rest). */
export async function apiHarness(database: DatabaseHandle, auth: Partial<AuthSettings> = {}): Promise<ApiHarness> {
  const clock = manualClock(new Date('2026-03-01T08:00:00Z'));
  const folder = await tempDir('gw-api-');
  const services = await createGateway(
    // async WAL writes: what these tests check does not depend on the disk's sync
    { dataDir: folder.dir, wal: { durability: 'async' } },
    {
      database,
      clock,
      auth: { hashCost: TEST_HASH_COST, ...auth },
      loginRateLimit: { burst: 1_000_000, perMinute: 1_000_000 },
    },
  ).catch(async (error: unknown) => {
    await folder.remove();
    throw error;
  });
  const gateway = GatewayStartup.running(services);
  let counter = 0;
  const caller = (connection: ApiConnection = createConnection('direct')) => createCaller({ gateway, connection });
  return {
    services,
    clock,
    caller,
    async signedInAs(role, username = `${role.toLowerCase()}-${++counter}`) {
      if (await services.auth.needsFirstAdmin()) {
        await services.auth.createFirstAdmin(
          { username: 'first-admin', password: TEST_PASSWORD },
          { ipAddress: null, userAgent: null, isLocal: true },
        );
      }
      const existing = await services.repos.users.getByUsername(username);
      const user =
        existing ??
        (await services.users.create({ username, password: TEST_PASSWORD, role, mustChangePassword: false }, null));
      const connection = createConnection('direct');
      const api = caller(connection);
      await api.auth.login({ username, password: TEST_PASSWORD });
      return { api, connection, userId: user.id };
    },
    async close() {
      try {
        await services.stop();
      } finally {
        await folder.remove();
      }
    },
  };
}

/** The error a call was refused with; fails the test when the call succeeds or throws something else. */
export async function refusalOf(
  call: Promise<unknown>,
): Promise<TRPCError & Partial<Pick<ApiError, 'field' | 'issues' | 'reason'>>> {
  const error = await call.then(
    () => new Error('expected the call to be refused, but it succeeded'),
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw error;
  return error;
}
