// A crash between an alert's EventFrame and its alert_history row. A gateway process fires an
// alert while the test holds a lock that keeps the row from being written, and is SIGKILLed once
// the EventFrame is durable in the WAL. After the restart the row is there, written from the WAL
// (the engine's checkpoint had not moved past the frame), the alert is open, a value still over
// the threshold does not fire it a second time, and it resolves as usual.
import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { alertHistory } from '../../drizzle/schema/alerts.ts';
import { createPostgresDatabase } from '../../test/database-backends.ts';
import { dataBody, openTestWal, tempDir } from '../../test/frame-fixtures.ts';
import { FrameBus } from '../bus/frame-bus.ts';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/repositories.ts';
import { AlertEngine } from './alert-engine.ts';
import { HOT_RULE } from './alert-engine-harness.ts';

const postgresUrl = inject('postgresUrl');

/** Runs the child until its alert is durable in the WAL, then kills it; returns what it printed. */
async function fireAndCrash(walDir: string, url: string, deviceId: string, tagId: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.resolve('test/alert-engine-crash-child.ts'), walDir, url, deviceId, tagId],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  const fired = await new Promise<{ alertId: string; sequenceId: number }>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /fired (\S+) (\d+)/.exec(output);
      if (match) resolve({ alertId: match[1]!, sequenceId: Number(match[2]) });
    });
    void exited.then(() => reject(new Error(`the child exited before its alert fired:\n${output}`)));
  });
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  return fired;
}

describe.skipIf(!postgresUrl)('alert history across a crash between the Event and its row', () => {
  let database: DatabaseHandle;
  let repos: Repositories;
  let url: string;
  let folder: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    url = await createPostgresDatabase(postgresUrl);
    database = await openDatabase({ url, poolSize: 2 });
    repos = repositories(database.db);
    folder = await tempDir('gw-alert-crash-');
  });
  afterAll(async () => {
    await database?.close();
    await folder?.remove();
  });

  it('writes the lost row from the WAL at the restart and does not fire the episode again', async () => {
    const device = await repos.devices.create({ name: 'PLC-001', protocol: 'ModbusTcp', endpoint: '127.0.0.1:502' });
    const tag = await repos.tags.create({ deviceId: device.id, name: 'T1', address: '40001', dataType: 'Float' });
    await repos.alertRules.create({
      deviceId: device.id,
      tagId: tag.id,
      name: 'Hot',
      ...HOT_RULE,
    });

    // Reads go on; the child's insert into alert_history waits for this transaction.
    const lock = new pg.Client({ connectionString: url });
    await lock.connect();
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE alert_history IN EXCLUSIVE MODE');
    const before = Date.now();
    let fired: { alertId: string; sequenceId: number };
    try {
      fired = await fireAndCrash(folder.dir, url, device.id, tag.id);
      // The dead process's insert never commits: its server session goes with it (PostgreSQL
      // would otherwise run a statement already sent once the lock is released).
      await lock.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
    } finally {
      await lock.query('ROLLBACK');
      await lock.end();
    }
    // What the crash left: the EventFrame in the WAL, no row.
    expect(await repos.alertHistory.get(fired.alertId)).toBeUndefined();

    const wal = await openTestWal(folder.dir);
    const bus = new FrameBus({ wal });
    const events: string[] = [];
    bus.subscribe({ name: 'test-events', types: ['event'] }, (frame) => {
      if (frame.type === 'event' && frame.payload.detail?.$case === 'alert')
        events.push(frame.payload.detail.value.status);
    });
    const engine = new AlertEngine({ db: database.db, bus, wal, tickMs: 3_600_000, communicationDelayMs: null });
    try {
      await engine.start();
      const row = await repos.alertHistory.get(fired.alertId);
      expect(row).toMatchObject({ status: 'ACTIVE', ruleId: expect.any(String), tagId: tag.id, triggeredValue: 95 });
      expect(row!.firedAt.getTime()).toBeGreaterThanOrEqual(before);
      expect(row!.details?.transitions).toEqual([
        expect.objectContaining({ status: 'ACTIVE', seq: fired.sequenceId, recovered: 'from the WAL after a restart' }),
      ]);
      expect((await wal.checkpoints()).get('alert-history')).toBeGreaterThanOrEqual(fired.sequenceId);
      expect(engine.active().map((alert) => alert.id)).toEqual([fired.alertId]);

      const send = async (value: number) => {
        bus.publish(dataBody(tag.id, value, device.id));
        await new Promise((resolve) => setImmediate(resolve));
      };
      await send(96);
      expect(events).toEqual([]);
      await send(10);
      expect(events).toEqual(['RESOLVED']);
      await engine.flush();
      expect(await repos.alertHistory.get(fired.alertId)).toMatchObject({ status: 'RESOLVED' });
      expect(await database.db.select().from(alertHistory)).toHaveLength(1);
    } finally {
      await engine.stop();
      await bus.close();
      await wal.close();
    }
  }, 60_000);
});
