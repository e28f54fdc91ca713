// Alerts through the API: expressions checked at save time with position and problem, the
// active list, acknowledgement (single and bulk, with a comment) and shelving by an operator,
// each leaving an audit row.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, refusalOf, type ApiHarness } from '../../test/api-harness.ts';
import { databaseBackends } from '../../test/database-backends.ts';
import { openTestWal, tempDir } from '../../test/frame-fixtures.ts';
import { Quality, QualityReason } from '../../proto/generated/frame.ts';
import { AlertEngine } from '../alerts/alert-engine.ts';
import { FrameBus } from '../bus/frame-bus.ts';
import { queryRows } from '../db/database.ts';
import type { FrameWal } from '../wal/frame-wal.ts';

describe('alerts API', () => {
  let h: ApiHarness;
  let folder: Awaited<ReturnType<typeof tempDir>>;
  let wal: FrameWal;
  let bus: FrameBus;
  let engine: AlertEngine;
  let maintenance: Awaited<ReturnType<ApiHarness['signedInAs']>>['api'];
  let operator: Awaited<ReturnType<ApiHarness['signedInAs']>>['api'];
  let viewer: Awaited<ReturnType<ApiHarness['signedInAs']>>['api'];
  const tags: Record<string, string> = {};
  let deviceId = '';

  beforeAll(async () => {
    h = await apiHarness(await databaseBackends()[0]!.open());
    folder = await tempDir('gw-alerts-api-');
    wal = await openTestWal(folder.dir);
    bus = new FrameBus({ wal });
    engine = new AlertEngine({ db: h.services.database.db, bus, clock: h.clock, tickMs: 3_600_000 });
    await engine.start();
    h.services.alerts = engine;
    ({ api: maintenance } = await h.signedInAs('MAINTENANCE', 'tech'));
    ({ api: operator } = await h.signedInAs('OPERATOR', 'olga'));
    ({ api: viewer } = await h.signedInAs('VIEWER', 'vic'));
    const device = await maintenance.devices.create({
      name: 'PLC-001',
      protocol: 'ModbusTcp',
      endpoint: '127.0.0.1:502',
    });
    deviceId = device.id;
    for (const name of ['T1', 'T2']) {
      tags[name] = (await maintenance.tags.create({ deviceId, name, address: '40001', dataType: 'Float' })).id;
    }
  });
  afterAll(async () => {
    await engine?.stop();
    await bus?.close();
    await wal?.close();
    await folder?.remove();
    await h?.close();
  });

  async function send(tag: string, value: number): Promise<void> {
    bus.publish({
      type: 'data',
      payload: {
        tagId: tags[tag]!,
        deviceId,
        value: { kind: { $case: 'doubleValue', value } },
        rawValue: value,
        sourceTimestamp: 0n,
        quality: Quality.QUALITY_GOOD,
        qualityReason: QualityReason.QUALITY_REASON_NONE,
        errorCode: 0,
      },
    });
    await new Promise((resolve) => setImmediate(resolve));
  }

  const rule = (fields: Record<string, unknown>) =>
    maintenance.alerts.rules.create({
      name: 'High T1',
      tagId: tags.T1!,
      conditionExpression: 'value',
      op: 'GT',
      thresholdValue: 80,
      level: 'WARNING',
      cooldownDuration: 0,
      ...fields,
    } as never);

  it('refuses an expression at save time, naming the position and the problem', async () => {
    const unknown = await refusalOf(rule({ conditionExpression: 'value > T3' }));
    expect(unknown).toMatchObject({ code: 'BAD_REQUEST', field: 'conditionExpression' });
    expect(unknown.message).toBe("conditionExpression: Position 9: unknown tag 'T3': no tag of that name exists.");
    const syntax = await refusalOf(rule({ conditionExpression: 'avg(value, 60' }));
    expect(syntax.message).toMatch(/^conditionExpression: Position 14: /);
    const escape = await refusalOf(rule({ conditionExpression: 'value.constructor.constructor("return process")()' }));
    expect(escape.message).toMatch(/^conditionExpression: Position 1: only the listed functions can be called/);
    const negative = await refusalOf(rule({ deadband: -1 }));
    expect(negative).toMatchObject({ code: 'BAD_REQUEST', field: 'deadband' });
    expect(await maintenance.alerts.rules.list()).toEqual([]);
  });

  it('checks an expression as it is typed with the engine compiler, naming the position; changes nothing', async () => {
    const check = (conditionExpression: string, target: { tagId?: string; deviceId?: string } = { tagId: tags.T1! }) =>
      maintenance.alerts.rules.check({ conditionExpression, ...target });
    expect(await check('value')).toEqual({ ok: true, type: 'number' });
    expect(await check('value > 80 and T2 < 5')).toEqual({ ok: true, type: 'boolean' });
    expect(await check('avg(T1, 60) - T2', { deviceId })).toEqual({ ok: true, type: 'number' });
    expect(await check('value > T3')).toEqual({
      ok: false,
      position: 9,
      problem: "unknown tag 'T3': no tag of that name exists",
    });
    expect(await check('avg(value, 60')).toMatchObject({ ok: false, position: 14 });
    expect(await check('value.constructor')).toMatchObject({ ok: false, position: 1 });
    expect(await check('')).toEqual({ ok: false, position: 1, problem: 'the expression is empty' });
    expect(await check('value + 1', {})).toMatchObject({
      ok: false,
      position: 1,
      problem: expect.stringMatching(/^"value" needs a rule that watches a tag/),
    });
    // The same answer as the save-time check gives for the same text.
    const saved = await refusalOf(rule({ conditionExpression: 'value > T3' }));
    expect(saved.message).toBe("conditionExpression: Position 9: unknown tag 'T3': no tag of that name exists.");
    // A tag that does not exist is named like at save time; the check needs the rule editor's role.
    const missingTag = await refusalOf(check('value', { tagId: '00000000-0000-4000-8000-000000000000' }));
    expect(missingTag).toMatchObject({ code: 'BAD_REQUEST', field: 'tagId' });
    expect(await refusalOf(viewer.alerts.rules.check({ conditionExpression: 'T1' }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await maintenance.alerts.rules.list()).toEqual([]);
  });

  it('checks the expression again when a rule is changed', async () => {
    const saved = await rule({ name: 'Spread', conditionExpression: 'T1 - T2', deadband: 0.5 });
    expect(saved.deadband).toBe(0.5);
    const refused = await refusalOf(maintenance.alerts.rules.update({ id: saved.id, conditionExpression: 'T1 -' }));
    expect(refused.message).toMatch(/^conditionExpression: Position 5: /);
    await maintenance.alerts.rules.delete({ id: saved.id });
  });

  it('lists active alerts; an operator acknowledges (single, bulk) and shelves them, each audited', async () => {
    await rule({ name: 'High T1' });
    await rule({ name: 'High T2', tagId: tags.T2! });
    await send('T1', 90);
    h.clock.advance(1_000);
    await send('T2', 95);
    const active = await viewer.alerts.active();
    expect(active.map((a) => [a.ruleName, a.status])).toEqual([
      ['High T2', 'ACTIVE'],
      ['High T1', 'ACTIVE'],
    ]);
    const [t2, t1] = active;

    expect(await refusalOf(viewer.alerts.acknowledge({ ids: [t1!.id] }))).toMatchObject({ code: 'FORBIDDEN' });
    const [one] = await operator.alerts.acknowledge({ ids: [t1!.id], comment: 'pump checked' });
    expect(one).toMatchObject({ id: t1!.id, ok: true, status: 'ACKNOWLEDGED' });
    const twice = await refusalOf(operator.alerts.acknowledge({ ids: [t1!.id] }));
    expect(twice).toMatchObject({ code: 'CONFLICT', message: 'This alert was already acknowledged by olga.' });
    const bulk = await operator.alerts.acknowledge({ ids: [t1!.id, t2!.id], comment: 'shift handover' });
    expect(bulk.map((r) => r.ok)).toEqual([false, true]);

    const shelved = await operator.alerts.shelve({ id: t2!.id, durationMs: 3_600_000, comment: 'maintenance' });
    expect(shelved).toMatchObject({ status: 'SUPPRESSED', shelvedBy: 'olga' });
    expect(shelved.shelvedUntil).toEqual(new Date(h.clock.now().getTime() + 3_600_000));
    const tooShort = await refusalOf(operator.alerts.shelve({ id: t1!.id, durationMs: 1_000 }));
    expect(tooShort).toMatchObject({ code: 'BAD_REQUEST', field: 'durationMs' });
    expect(await operator.alerts.unshelve({ id: t2!.id })).toMatchObject({ status: 'ACKNOWLEDGED' });
    const notShelved = await refusalOf(operator.alerts.unshelve({ id: t2!.id }));
    expect(notShelved).toMatchObject({ code: 'CONFLICT', message: 'This alert is not shelved.' });

    await engine.flush();
    const row = await h.services.repos.alertHistory.get(t1!.id);
    expect(row).toMatchObject({ status: 'ACKNOWLEDGED', acknowledgedBy: 'olga' });
    expect(row?.details?.acknowledgeComment).toBe('pump checked');
    const audit = await queryRows<{ action: string; username: string | null; success: boolean; comment: string }>(
      h.services.database.db,
      sql`SELECT action, details->>'username' AS username, success, details->>'comment' AS comment FROM audit_logs
          WHERE action LIKE 'alerts.%' ORDER BY created_at, id`,
    );
    const actions = audit.map((a) => `${a.action}:${a.success}`);
    expect(actions.filter((a) => a.startsWith('alerts.acknowledge'))).toHaveLength(4);
    expect(audit.filter((a) => a.action === 'alerts.acknowledge').map((a) => a.comment)).toContain('shift handover');
    expect(actions).toContain('alerts.shelve:true');
    expect(actions).toContain('alerts.shelve:false');
    expect(actions).toContain('alerts.unshelve:true');
  });
});
