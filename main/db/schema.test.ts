// The seed's relational design, proven on both backends: tables, enums, indexes, triggers,
// functions and views behave as the seed specifies (with the two documented fixes).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../test/database-backends.ts';
import { queryRows, type DatabaseHandle } from './database.ts';
import { RecordNotFoundError } from './database-errors.ts';
import { repositories, type Repositories } from './repositories/repositories.ts';

const EXPECTED_TABLES = [
  'alert_history',
  'alert_rule_state',
  'alert_rules',
  'audit_logs',
  'devices',
  'driver_configs',
  'driver_registry',
  'tags',
  'trend_sets',
  'user_sessions',
  'users',
];

const EXPECTED_ENUMS: Record<string, string[]> = {
  protocol_kind: ['ModbusTcp', 'ModbusRtu', 'OpcUa', 'Mqtt', 'Custom'],
  device_status: ['Online', 'Offline', 'Error', 'Maintenance', 'Unknown'],
  tag_data_type: [
    'Boolean',
    'Int8',
    'UInt8',
    'Int16',
    'UInt16',
    'Int32',
    'UInt32',
    'Int64',
    'UInt64',
    'Float',
    'Double',
    'String',
    'DateTime',
    'ByteArray',
  ],
  tag_access: ['Read', 'Write', 'ReadWrite'],
  compare_op: ['GT', 'LT', 'GTE', 'LTE', 'EQ', 'NE', 'BETWEEN', 'NOT_BETWEEN'],
  alert_level: ['INFO', 'WARNING', 'CRITICAL', 'FATAL'],
  alert_status: ['ACTIVE', 'ACKNOWLEDGED', 'RESOLVED', 'SUPPRESSED'],
  driver_status: ['LOADED', 'RUNNING', 'STOPPED', 'ERROR', 'UNLOADED'],
  user_role: ['ADMIN', 'OPERATOR', 'VIEWER', 'MAINTENANCE'],
  user_status: ['ACTIVE', 'INACTIVE', 'LOCKED', 'EXPIRED'],
};

/** index name → a fragment its definition must contain (method, columns, partial predicate). */
const EXPECTED_INDEXES: Record<string, string> = {
  idx_devices_protocol: 'btree (protocol)',
  idx_devices_status: 'btree (status)',
  idx_devices_enabled: 'btree (enabled)',
  idx_devices_created_at: 'btree (created_at)',
  idx_devices_location: 'WHERE (location IS NOT NULL)',
  idx_devices_config_gin: 'gin (config)',
  idx_tags_device_id: 'btree (device_id)',
  idx_tags_data_type: 'btree (data_type)',
  idx_tags_enabled: 'btree (enabled)',
  idx_tags_address: 'btree (device_id, address)',
  idx_tags_scan_rate: 'WHERE (scan_rate IS NOT NULL)',
  idx_alert_rules_device_tag: 'btree (device_id, tag_id)',
  idx_alert_rules_enabled: 'btree (enabled)',
  idx_alert_rules_level: 'btree (level)',
  idx_alert_history_rule_id: 'btree (rule_id)',
  idx_alert_history_fired_at: 'btree (fired_at)',
  idx_alert_history_status: 'btree (status)',
  idx_alert_history_level: 'btree (level)',
  idx_alert_history_device_time: 'btree (device_id, fired_at)',
  idx_driver_configs_protocol: 'btree (protocol)',
  idx_driver_configs_enabled: 'btree (enabled)',
  idx_driver_configs_connection_type: 'btree (connection_type)',
  idx_users_username: 'btree (username)',
  idx_users_email: 'WHERE (email IS NOT NULL)',
  idx_users_role: 'btree (role)',
  idx_users_status: 'btree (status)',
  idx_user_sessions_user_id: 'btree (user_id)',
  idx_user_sessions_token: 'btree (token_hash)',
  idx_user_sessions_active: 'btree (is_active, expires_at)',
  idx_audit_logs_user_action: 'btree (user_id, action)',
  idx_audit_logs_created_at: 'btree (created_at)',
  idx_audit_logs_resource: 'btree (resource_type, resource_id)',
  // seed optimisation section
  idx_tags_device_enabled_type: 'btree (device_id, enabled, data_type) WHERE (enabled = true)',
  idx_devices_online_last_seen: "WHERE (status = 'Online'::device_status)",
  idx_users_lower_username: 'btree (lower((username)::text))',
  idx_devices_config_modbus: "gin (((config -> 'modbus'::text)))",
};

const UPDATED_AT_TABLES = ['devices', 'tags', 'alert_rules', 'driver_configs', 'users'];

for (const backend of databaseBackends()) {
  describe.skipIf(!backend.available)(`schema on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let repos: Repositories;

    beforeAll(async () => {
      handle = await backend.open();
      repos = repositories(handle.db);
    });
    afterAll(async () => {
      await handle?.close();
    });

    it('has every table of the seed', async () => {
      const rows = await queryRows<{ table_name: string }>(
        handle.db,
        sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
      );
      expect(rows.map((r) => r.table_name)).toEqual(EXPECTED_TABLES);
    });

    it('has every enum with the seed labels in order', async () => {
      const rows = await queryRows<{ name: string; labels: string[] | string }>(
        handle.db,
        sql`SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder) AS labels
            FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
      );
      const actual = Object.fromEntries(rows.map((r) => [r.name, pgArray(r.labels)]));
      expect(actual).toEqual(EXPECTED_ENUMS);
    });

    it('has every index of the seed, including partial, GIN, composite and expression ones', async () => {
      const rows = await queryRows<{ indexname: string; indexdef: string }>(
        handle.db,
        sql`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'`,
      );
      const defs = new Map(rows.map((r) => [r.indexname, r.indexdef]));
      for (const [name, fragment] of Object.entries(EXPECTED_INDEXES)) {
        expect(defs.get(name), name).toContain(fragment);
      }
    });

    it('has the seed column defaults', async () => {
      const device = await repos.devices.create({ name: 'Defaults', protocol: 'ModbusTcp', endpoint: '127.0.0.1:502' });
      expect(device).toMatchObject({ enabled: true, status: 'Unknown', config: {}, lastSeen: null });
      const tag = await repos.tags.create({ deviceId: device.id, name: 'T', address: '40001', dataType: 'Int16' });
      expect(tag).toMatchObject({ accessType: 'Read', scaling: 1, tagOffset: 0, enabled: true });
      const rule = await repos.alertRules.create({
        name: 'Defaults rule',
        conditionExpression: 'value > 1',
        op: 'GT',
        thresholdValue: 1,
        level: 'INFO',
      });
      expect(rule).toMatchObject({ evalInterval: 60_000, cooldownDuration: 300_000, evalDuration: null });
      const config = await repos.driverConfigs.create({
        name: 'Defaults cfg',
        protocol: 'ModbusTcp',
        connectionType: 'tcp',
      });
      expect(config).toMatchObject({
        scanInterval: 1000,
        timeout: 5000,
        maxConcurrent: 10,
        batchSize: 100,
        maxRetries: 3,
        retryInterval: 1000,
        exponentialBackoff: true,
        maxRetryInterval: 30000,
        logLevel: 'INFO',
        maxLogSize: 1_000_000,
        enableSsl: false,
        verifyCertificate: true,
      });
      const registration = await repos.driverRegistry.register({ protocol: 'Custom', name: 'X', version: '1' });
      expect(registration).toMatchObject({ apiVersion: 1, status: 'LOADED', metadata: {}, capabilities: [] });
      const user = await repos.users.create({ username: 'defaults', passwordHash: 'x' });
      expect(user).toMatchObject({
        role: 'VIEWER',
        status: 'ACTIVE',
        failedLoginAttempts: 0,
        mustChangePassword: false,
      });
    });

    it.each(UPDATED_AT_TABLES)('the update_updated_at_column trigger refreshes %s.updated_at', async (table) => {
      const [row] = await queryRows<{ id: string; updated_at: Date | string }>(
        handle.db,
        sql`SELECT id::text AS id, updated_at FROM ${sql.identifier(table)} LIMIT 1`,
      );
      expect(row, `a ${table} row from the defaults test`).toBeDefined();
      await handle.db.execute(
        sql`UPDATE ${sql.identifier(table)} SET updated_at = '2000-01-01T00:00:00Z' WHERE id::text = ${row!.id}`,
      );
      const [after] = await queryRows<{ age_s: number | string }>(
        handle.db,
        sql`SELECT EXTRACT(EPOCH FROM (NOW() - updated_at)) AS age_s FROM ${sql.identifier(table)} WHERE id::text = ${row!.id}`,
      );
      // The trigger overwrote the 2000-01-01 we asked for with NOW().
      expect(Math.abs(Number(after!.age_s))).toBeLessThan(60);
    });

    it('update_device_status sets status and last_seen', async () => {
      const device = await repos.devices.create({ name: 'Status', protocol: 'ModbusRtu', endpoint: '/dev/ttyUSB0' });
      const seen = new Date('2026-01-02T03:04:05Z');
      await repos.devices.setStatus(device.id, 'Online', seen);
      const after = await repos.devices.get(device.id);
      expect(after?.status).toBe('Online');
      expect(after?.lastSeen?.toISOString()).toBe(seen.toISOString());
    });

    it('update_device_status raises for an unknown device', async () => {
      const failure = await handle.db
        .execute(sql`SELECT update_device_status('00000000-0000-0000-0000-000000000000', 'Online')`)
        .then(
          () => undefined,
          (error: { cause?: Error }) => error.cause,
        );
      expect(failure?.message).toBe('Device with ID 00000000-0000-0000-0000-000000000000 not found');
      await expect(repos.devices.setStatus('00000000-0000-0000-0000-000000000000', 'Online')).rejects.toBeInstanceOf(
        RecordNotFoundError,
      );
    });

    it('auto_resolve_expired_alerts resolves only alerts ACTIVE for more than 24 h and fills duration', async () => {
      const rule = await repos.alertRules.create({
        name: 'Expiry rule',
        conditionExpression: 'value > 5',
        op: 'GT',
        thresholdValue: 5,
        level: 'WARNING',
      });
      const old = await repos.alertHistory.create({
        ruleId: rule.id,
        level: 'WARNING',
        message: 'old',
        firedAt: new Date(Date.now() - 25 * 3_600_000),
      });
      const recent = await repos.alertHistory.create({ ruleId: rule.id, level: 'WARNING', message: 'recent' });
      const acked = await repos.alertHistory.create({
        ruleId: rule.id,
        level: 'WARNING',
        message: 'acknowledged long ago',
        status: 'ACKNOWLEDGED',
        firedAt: new Date(Date.now() - 30 * 3_600_000),
      });
      expect(await repos.alertHistory.autoResolveExpired()).toBe(1);
      const oldAfter = await repos.alertHistory.get(old.id);
      expect(oldAfter?.status).toBe('RESOLVED');
      expect(oldAfter?.resolvedAt).not.toBeNull();
      expect(oldAfter?.duration).toBeGreaterThanOrEqual(25 * 3_600_000 - 1000);
      expect((await repos.alertHistory.get(recent.id))?.status).toBe('ACTIVE');
      expect((await repos.alertHistory.get(acked.id))?.status).toBe('ACKNOWLEDGED');
      expect(await repos.alertHistory.autoResolveExpired()).toBe(0);
    });

    it('device_overview counts tags and active alerts without multiplying them (seed flaw a)', async () => {
      const device = await repos.devices.create({ name: 'Overview', protocol: 'ModbusTcp', endpoint: '10.0.0.1:502' });
      const tagIds: string[] = [];
      for (const [i, enabled] of [true, true, false].entries()) {
        tagIds.push(
          (
            await repos.tags.create({
              deviceId: device.id,
              name: `T${i}`,
              address: `4000${i + 1}`,
              dataType: 'Float',
              enabled,
            })
          ).id,
        );
      }
      const rule = await repos.alertRules.create({
        name: 'Overview rule',
        deviceId: device.id,
        conditionExpression: 'value > 1',
        op: 'GT',
        thresholdValue: 1,
        level: 'CRITICAL',
      });
      for (const status of ['ACTIVE', 'ACTIVE', 'RESOLVED'] as const) {
        await repos.alertHistory.create({
          ruleId: rule.id,
          deviceId: device.id,
          tagId: tagIds[0],
          level: 'CRITICAL',
          message: 'm',
          status,
        });
      }
      const overview = (await repos.devices.overview()).find((d) => d.id === device.id);
      expect(overview).toMatchObject({ tagCount: 3, enabledTagCount: 2, activeAlertCount: 2, name: 'Overview' });
      const empty = await repos.devices.create({ name: 'Overview empty', protocol: 'Mqtt', endpoint: 'mqtt://x' });
      expect((await repos.devices.overview()).find((d) => d.id === empty.id)).toMatchObject({
        tagCount: 0,
        enabledTagCount: 0,
        activeAlertCount: 0,
      });
    });

    it('alert_statistics groups the last 24 h by hour and level', async () => {
      const rule = await repos.alertRules.create({
        name: 'Stats rule',
        conditionExpression: 'value < 0',
        op: 'LT',
        thresholdValue: 0,
        level: 'FATAL',
      });
      const firedAt = new Date(Date.now() - 2 * 3_600_000);
      await repos.alertHistory.create({ ruleId: rule.id, level: 'FATAL', message: 'a', firedAt });
      await repos.alertHistory.create({
        ruleId: rule.id,
        level: 'FATAL',
        message: 'b',
        firedAt,
        status: 'RESOLVED',
        resolvedAt: new Date(firedAt.getTime() + 60_000),
        duration: 60_000,
      });
      await repos.alertHistory.create({
        ruleId: rule.id,
        level: 'FATAL',
        message: 'too old',
        firedAt: new Date(Date.now() - 48 * 3_600_000),
      });
      const stats = (await repos.alertHistory.statistics()).filter((s) => s.level === 'FATAL');
      expect(stats).toHaveLength(1);
      expect(stats[0]).toMatchObject({ alertCount: 2, activeCount: 1, resolvedCount: 1 });
      expect(Number(stats[0]!.avgDurationSeconds)).toBe(60);
      const hour = new Date(firedAt);
      hour.setUTCMinutes(0, 0, 0);
      expect(new Date(stats[0]!.hour).getTime()).toBe(hour.getTime());
    });

    it('deleting a device with alert history works and keeps the history (seed flaw b)', async () => {
      const device = await repos.devices.create({ name: 'Decommissioned', protocol: 'ModbusTcp', endpoint: 'x:502' });
      const tag = await repos.tags.create({ deviceId: device.id, name: 'Temp', address: '30001', dataType: 'Float' });
      const rule = await repos.alertRules.create({
        name: 'Decommissioned temp',
        tagId: tag.id,
        conditionExpression: 'value > 80',
        op: 'GT',
        thresholdValue: 80,
        level: 'WARNING',
      });
      const history = await repos.alertHistory.create({
        ruleId: rule.id,
        deviceId: device.id,
        tagId: tag.id,
        level: 'WARNING',
        message: 'Temp too high',
        details: { ruleName: rule.name, deviceName: device.name, tagName: tag.name },
      });
      await repos.devices.delete(device.id);
      expect(await repos.devices.get(device.id)).toBeUndefined();
      expect(await repos.tags.get(tag.id)).toBeUndefined();
      expect(await repos.alertRules.get(rule.id)).toBeUndefined();
      const kept = await repos.alertHistory.get(history.id);
      expect(kept).toMatchObject({ ruleId: null, deviceId: null, tagId: null, message: 'Temp too high' });
      expect(kept?.details).toMatchObject({ deviceName: 'Decommissioned', tagName: 'Temp' });
    });

    it('deleting a user keeps their audit trail and sessions go with them', async () => {
      const admin = await repos.users.create({ username: 'creator', passwordHash: 'x', role: 'ADMIN' });
      const user = await repos.users.create({ username: 'leaver', passwordHash: 'x', createdBy: admin.id });
      await repos.auditLogs.append({
        userId: user.id,
        action: 'login',
        success: true,
        details: { username: 'leaver' },
      });
      await repos.sessions.create({
        userId: user.id,
        tokenHash: 'leaver-token',
        expiresAt: new Date(Date.now() + 60_000),
      });
      await repos.users.delete(admin.id);
      expect((await repos.users.get(user.id))?.createdBy).toBeNull();
      await repos.users.delete(user.id);
      const [kept] = await repos.auditLogs.query({ actionPrefix: 'login' });
      expect(kept).toMatchObject({ userId: null, action: 'login', details: { username: 'leaver' } });
      expect(await repos.sessions.findActiveByTokenHash('leaver-token')).toBeUndefined();
    });
  });
}

/** node-postgres returns arrays of enums as '{a,b}' text; PGlite returns JS arrays. */
function pgArray(value: string[] | string): string[] {
  if (Array.isArray(value)) return value;
  return value
    .replace(/^\{|\}$/g, '')
    .split(',')
    .filter(Boolean);
}
