import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../test/database-backends.ts';
import { Quality } from '../../proto/generated/frame.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { engineHarness, START, type EngineHarness } from './alert-engine-harness.ts';
import type { ActiveAlert } from './open-alert.ts';
import { checkRuleExpression } from './rule-expression-check.ts';

const [pglite] = databaseBackends();
let database: DatabaseHandle;
let h: EngineHarness;

beforeAll(async () => {
  database = await (pglite as NonNullable<typeof pglite>).open();
});
afterAll(async () => {
  await database?.close();
});
afterEach(async () => {
  await h?.close();
  await emptyTables();
});

/** Each test starts from empty tables (devices cascade to tags, rules and rule state). */
async function emptyTables(): Promise<void> {
  await database.db.execute(sql`DELETE FROM alert_history`);
  await database.db.execute(sql`DELETE FROM devices`);
}

async function history() {
  await h.engine.flush();
  return h.repos.alertHistory.list({});
}

const statuses = () => h.events.map((e) => e.status);

/** Rule A on T1 and rule B on T2, both fired. */
async function twoActiveAlerts(): Promise<[ActiveAlert, ActiveAlert]> {
  h = await engineHarness(database);
  await h.rule({ name: 'A' });
  await h.rule({ name: 'B', tagId: h.tagIds.T2 });
  await h.send('T1', 90);
  await h.send('T2', 90);
  const byName = (name: string) => h.engine.active().find((alert) => alert.ruleName === name) as ActiveAlert;
  return [byName('A'), byName('B')];
}

describe('AlertEngine', () => {
  it('fires on a value frame, writes history, an Event frame and an alert_events point, and resolves', async () => {
    h = await engineHarness(database);
    const rule = await h.rule({ name: 'Hot', thresholdValue: 80, level: 'CRITICAL' });
    await h.send('T1', 80); // GT is strict
    expect(h.engine.active()).toEqual([]);
    await h.send('T1', 85.6);
    const [active] = h.engine.active();
    expect(active).toMatchObject({ ruleId: rule.id, status: 'ACTIVE', level: 'CRITICAL', triggeredValue: 85.6 });
    expect(active?.message).toBe('Hot: PLC-001/T1 = 85.6 (> 80)');
    h.advance(90_000);
    await h.send('T1', 70);
    expect(h.engine.active()).toEqual([]);
    const [row] = await history();
    expect(row).toMatchObject({
      id: active?.id,
      ruleId: rule.id,
      tagId: h.tagIds.T1,
      deviceId: h.deviceId,
      status: 'RESOLVED',
      triggeredValue: 85.6,
      thresholdValue: 80,
      level: 'CRITICAL',
      firedAt: START,
      resolvedAt: new Date(START.getTime() + 90_000),
      duration: 90_000,
    });
    expect((row?.details?.transitions as { status: string }[]).map((t) => t.status)).toEqual(['ACTIVE', 'RESOLVED']);
    expect(statuses()).toEqual(['ACTIVE', 'RESOLVED']);
    expect(h.events[0]).toMatchObject({
      alertId: active?.id,
      ruleId: rule.id,
      level: 'CRITICAL',
      triggeredValue: 85.6,
    });
    expect(h.points.map((p) => [p.status, p.durationSeconds])).toEqual([
      ['ACTIVE', 0],
      ['RESOLVED', 90],
    ]);
    expect(h.points[0]).toMatchObject({
      ruleId: rule.id,
      tagId: h.tagIds.T1,
      thresholdValue: 80,
      level: 'CRITICAL',
    });
  });

  it('fires only after the condition held for eval_duration, also when the tag stops updating', async () => {
    h = await engineHarness(database);
    await h.rule({ name: 'Held', evalDuration: 30_000 });
    await h.send('T1', 90);
    h.advance(29_000);
    h.engine.tick();
    expect(h.engine.active()).toEqual([]);
    await h.send('T1', 70); // cleared before the duration: starts again
    await h.send('T1', 95);
    h.advance(29_999);
    h.engine.tick();
    expect(h.engine.active()).toEqual([]);
    h.advance(1); // no new frame: the timer fires it
    h.engine.tick();
    expect(h.engine.active()).toHaveLength(1);
    expect(h.engine.active()[0]?.firedAt).toEqual(new Date(START.getTime() + 59_000));
  });

  it('does not fire again within cooldown_duration, then fires if the condition still holds', async () => {
    h = await engineHarness(database);
    await h.rule({ name: 'Cool', cooldownDuration: 60_000 });
    await h.send('T1', 90);
    await h.send('T1', 70);
    await h.send('T1', 90); // within cooldown
    h.advance(59_000);
    await h.tick();
    expect(statuses()).toEqual(['ACTIVE', 'RESOLVED']);
    h.advance(1_000);
    await h.tick();
    expect(statuses()).toEqual(['ACTIVE', 'RESOLVED', 'ACTIVE']);
  });

  it('chatters on a noisy value without hysteresis and not with a deadband', async () => {
    const noisy = [81, 79.5, 80.5, 79.8, 81, 79.9, 80.2];
    h = await engineHarness(database);
    await h.rule({ name: 'Noisy' });
    for (const value of noisy) await h.send('T1', value);
    expect(statuses().filter((s) => s === 'ACTIVE')).toHaveLength(4);
    await h.close();
    await emptyTables();

    h = await engineHarness(database);
    await h.rule({ name: 'Calm', deadband: 1 });
    for (const value of noisy) await h.send('T1', value);
    expect(statuses()).toEqual(['ACTIVE']);
    await h.send('T1', 79); // 1 below the threshold: clears
    expect(statuses()).toEqual(['ACTIVE', 'RESOLVED']);
  });

  it('evaluates time-based conditions on eval_interval: a stale tag resolves and an idle one fires', async () => {
    h = await engineHarness(database);
    await h.rule({ name: 'Average', conditionExpression: 'avg(value, 60)', evalInterval: 5_000 });
    await h.rule({ name: 'Silent', tagId: h.tagIds.T2, conditionExpression: 'age(value)', thresholdValue: 120 });
    await h.send('T1', 200);
    h.advance(60_000);
    h.engine.tick();
    expect(h.engine.active().map((a) => a.ruleName)).toEqual(['Average']);
    await h.send('T1', 0); // then nothing more arrives: the 60 s average falls below 80 after 36 s
    h.advance(35_000);
    h.engine.tick();
    expect(h.engine.active().map((a) => a.ruleName)).toEqual(['Average']);
    h.advance(5_000);
    h.engine.tick();
    expect(h.engine.active()).toEqual([]);
    h.advance(21_000); // T2 never updated: 121 s since the engine started watching it
    h.engine.tick();
    expect(h.engine.active().map((a) => a.ruleName)).toEqual(['Silent']);
  });

  it('does not fire value alerts on Bad quality and raises a communication alert instead', async () => {
    h = await engineHarness(database, ['T1', 'T2'], { communicationDelayMs: 10_000 });
    await h.rule({ name: 'Hot' });
    await h.send('T1', 90, Quality.QUALITY_BAD);
    h.advance(9_000);
    h.engine.tick();
    expect(h.engine.active()).toEqual([]);
    h.advance(1_000);
    h.engine.tick();
    const [comm] = h.engine.active();
    expect(comm).toMatchObject({ kind: 'communication', ruleId: null, tagId: h.tagIds.T1, level: 'WARNING' });
    expect(comm?.message).toBe('No valid value from PLC-001/T1 for 10 s: the device did not answer in time');
    await h.send('T1', 50);
    expect(h.engine.active()).toEqual([]);
    const rows = await history();
    expect(rows.map((r) => [r.status, r.ruleId, r.details?.kind])).toEqual([['RESOLVED', null, 'communication']]);
  });

  it('acknowledges with a comment (single and bulk), refusing what is not open', async () => {
    const [a, b] = await twoActiveAlerts();
    h.advance(5_000);
    const results = await h.engine.acknowledge([a.id, b.id], 'olga', 'checking the pump');
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    // answered once stored: no flush needed to read the acknowledgement back
    expect((await history()).filter((r) => r.status === 'ACKNOWLEDGED').map((r) => r.id)).toEqual(
      expect.arrayContaining([a.id, b.id]),
    );
    expect(await h.engine.acknowledge([a.id], 'ivan')).toEqual([
      { id: a.id, ok: false, error: 'This alert was already acknowledged by olga.', status: 'ACKNOWLEDGED' },
    ]);
    await h.send('T1', 10);
    const [again] = await h.engine.acknowledge([a.id], 'ivan');
    expect(again?.error).toBe('This alert is already resolved.');
    const [missing] = await h.engine.acknowledge(['00000000-0000-4000-8000-000000000000'], 'ivan');
    expect(missing?.error).toBe('Alert 00000000-0000-4000-8000-000000000000 does not exist.');
    const row = (await history()).find((r) => r.id === b.id);
    expect(row).toMatchObject({
      status: 'ACKNOWLEDGED',
      acknowledgedBy: 'olga',
      acknowledgedAt: new Date(START.getTime() + 5_000),
    });
    expect(row?.details?.acknowledgeComment).toBe('checking the pump');
    expect(h.events.filter((e) => e.status === 'ACKNOWLEDGED').map((e) => [e.user, e.comment])).toEqual([
      ['olga', 'checking the pump'],
      ['olga', 'checking the pump'],
    ]);
  });

  it('shelves for a while, then returns to the real state: still active, or resolved if it cleared', async () => {
    const [a, b] = await twoActiveAlerts();
    h.engine.shelve(a.id, 60_000, 'olga', 'maintenance');
    h.engine.shelve(b.id, 60_000, 'olga', 'maintenance');
    expect(h.engine.active().map((x) => x.status)).toEqual(['SUPPRESSED', 'SUPPRESSED']);
    h.advance(10_000);
    await h.send('T2', 20); // B clears while shelved: stays SUPPRESSED until the shelving ends
    expect(h.engine.active().find((x) => x.id === b.id)?.conditionHolds).toBe(false);
    h.advance(50_000);
    h.engine.tick();
    expect(h.engine.active().map((x) => [x.id, x.status])).toEqual([[a.id, 'ACTIVE']]);
    const rowB = (await history()).find((r) => r.id === b.id);
    expect(rowB).toMatchObject({
      status: 'RESOLVED',
      resolvedAt: new Date(START.getTime() + 10_000),
      duration: 10_000,
    });
    expect(() => h.engine.unshelve(a.id, 'olga')).toThrow('This alert is not shelved.');
  });

  it('auto-resolves ACTIVE alerts after 24 h on its clock, and does not fire again for the same episode', async () => {
    h = await engineHarness(database);
    await h.rule({ name: 'Long' });
    await h.rule({ name: 'Acked', tagId: h.tagIds.T2 });
    await h.send('T1', 90);
    await h.send('T2', 90);
    await h.engine.acknowledge([h.engine.active().find((a) => a.ruleName === 'Acked')!.id], 'olga');
    h.advance(24 * 3_600_000);
    expect(h.engine.autoResolveExpired()).toBe(0);
    h.advance(1);
    expect(h.engine.autoResolveExpired()).toBe(1); // ACKNOWLEDGED ones stay (as in the seed's function)
    await h.send('T1', 95); // the condition still holds: the same episode, no new alert
    expect(h.engine.active().map((a) => a.ruleName)).toEqual(['Acked']);
    await h.send('T1', 10);
    await h.send('T1', 95); // a new episode
    expect(
      h.engine
        .active()
        .map((a) => a.ruleName)
        .sort(),
    ).toEqual(['Acked', 'Long']);
    const resolved = (await history()).find((r) => r.status === 'RESOLVED');
    expect(resolved?.details?.resolvedBy).toBe('auto-resolve');
    expect(resolved?.duration).toBe(24 * 3_600_000 + 1);
  });

  it('restores open alerts, shelving, cooldown and pending conditions after a restart without firing twice', async () => {
    h = await engineHarness(database);
    await h.rule({ name: 'Open' });
    await h.rule({ name: 'Pending', tagId: h.tagIds.T2, evalDuration: 60_000 });
    await h.send('T1', 90);
    await h.send('T2', 90);
    const [open] = h.engine.active();
    h.engine.shelve(open!.id, 120_000, 'olga');
    await h.engine.flush();
    h.advance(30_000);
    await h.restart();
    expect(h.engine.active().map((a) => [a.id, a.status])).toEqual([[open!.id, 'SUPPRESSED']]);
    await h.send('T1', 91); // same episode: nothing new
    await h.send('T2', 92); // pending since before the restart: 30 s so far
    h.advance(29_000);
    h.engine.tick();
    expect(h.engine.active().map((a) => a.ruleName)).toEqual(['Open']);
    h.advance(1_000);
    h.engine.tick();
    expect(
      h.engine
        .active()
        .map((a) => a.ruleName)
        .sort(),
    ).toEqual(['Open', 'Pending']);
    h.advance(60_000); // shelving (120 s) ends after the restart too
    h.engine.tick();
    expect(h.engine.active().find((a) => a.ruleName === 'Open')?.status).toBe('ACTIVE');
    expect((await history()).filter((r) => r.message.startsWith('Open'))).toHaveLength(1);
  });

  it('resolves the open alert of a rule that is disabled; checks expressions against the tags at save time', async () => {
    h = await engineHarness(database);
    const rule = await h.rule({ name: 'Gone' });
    await h.send('T1', 90);
    await h.repos.alertRules.update(rule.id, { enabled: false });
    await h.engine.reload();
    expect(h.engine.active()).toEqual([]);
    expect((await history())[0]?.details?.resolvedBy).toBe('rule-removed');
    await expect(
      checkRuleExpression(database.db, {
        conditionExpression: 'value > T3',
        deviceId: h.deviceId,
        tagId: h.tagIds.T1!,
      }),
    ).rejects.toThrow("Position 9: unknown tag 'T3': no tag of that name exists");
    expect(
      await checkRuleExpression(database.db, { conditionExpression: 'T1 - T2', deviceId: h.deviceId, tagId: null }),
    ).toBe('number');
  });
});
