// The gateway's own state. Metrics and the WAL backlog come with the bus and the WAL.
import { sql } from 'drizzle-orm';
import { queryRows } from '../db/database.ts';
import { appVersion } from '../config/app-version.ts';
import { procedure, router } from './trpc.ts';

export const systemRouter = router({
  /** Versions, uptime and which database the gateway runs on. */
  health: procedure('read').query(async ({ ctx }) => {
    const { database, clock, startedAt } = ctx.services;
    const [row] = await queryRows<{ version: string }>(database.db, sql`SELECT version() AS version`);
    const now = clock.now();
    return {
      status: 'ok' as const,
      startedAt,
      uptimeSeconds: Math.max(0, Math.round((now.getTime() - startedAt.getTime()) / 1000)),
      database: {
        kind: database.kind,
        description: database.description,
        serverVersion: row?.version ?? null,
      },
      versions: {
        app: appVersion(),
        node: process.versions.node,
        electron: process.versions.electron ?? null,
        platform: `${process.platform} ${process.arch}`,
      },
    };
  }),
});
