// The database goes away while alerts change: the engine keeps evaluating and announcing, the
// history writes wait in order (and the engine's WAL checkpoint stops before the first of them),
// and every change is in alert_history once the server is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../../test/services/postgres-server.ts';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { engineHarness, type EngineHarness } from './alert-engine-harness.ts';

describe('alert history while the database is away', () => {
  let server: PostgresServer | undefined;
  let database: DatabaseHandle;
  let h: EngineHarness;
  const problems: string[] = [];
  beforeAll(async () => {
    server = await startPostgres();
    if (!server) return;
    database = await openDatabase({ url: await server.createDatabase('alert_outage'), poolSize: 2 });
    h = await engineHarness(database, ['T1'], { onProblem: (message) => problems.push(message) });
  });
  afterAll(async () => {
    await h?.close();
    await database?.close().catch(() => undefined);
    await server?.stop();
  });

  it('keeps every change and writes it, in order, when PostgreSQL returns', async ({ skip }) => {
    if (!server) return skip('PostgreSQL is not installed');
    const checkpoint = async () => (await h.wal.checkpoints()).get('alert-history');
    await h.rule({ name: 'Hot' });
    await h.send('T1', 90);
    const [alert] = h.engine.active();
    await h.engine.flush();
    await server.stopServer();
    h.advance(1_000);
    const beforeAcknowledge = h.wal.lastSequenceId;
    await h.engine.acknowledge([alert!.id], 'olga', 'seen');
    h.advance(1_000);
    await h.send('T1', 10);
    expect(h.engine.active()).toEqual([]);
    expect(h.events.map((e) => e.status)).toEqual(['ACTIVE', 'ACKNOWLEDGED', 'RESOLVED']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.engine.metrics().historyBacklog).toBe(2);
    expect(problems.join('\n')).toMatch(
      /Alert history cannot be written \(the database cannot be reached\); \d changes? waits? and will be retried/,
    );
    // The WAL holds the unwritten changes for a restart: the engine's checkpoint moved up to the
    // acknowledgement's EventFrame, not past it, though frames after it are committed.
    await h.wal.flush();
    await expect.poll(() => checkpoint(), { timeout: 3_000 }).toBe(beforeAcknowledge);
    expect(h.wal.committedSequenceId).toBeGreaterThan(beforeAcknowledge + 1);
    await server.startServer();
    await h.engine.flush();
    await expect.poll(() => checkpoint(), { timeout: 3_000 }).toBe(h.wal.committedSequenceId);
    expect(problems.at(-1)).toBe('The database is back: alert history is being written again.');
    const row = await h.repos.alertHistory.get(alert!.id);
    expect(row).toMatchObject({ status: 'RESOLVED', acknowledgedBy: 'olga', duration: 2_000 });
    expect((row?.details?.transitions as { status: string }[]).map((t) => t.status)).toEqual([
      'ACTIVE',
      'ACKNOWLEDGED',
      'RESOLVED',
    ]);
  });
});
