// Bad input at the database edge: every CHECK, UNIQUE and FOREIGN KEY of the schema, violated on
// purpose on both backends. Each must come back as a ConstraintViolationError that names the
// field and the rule in words, and must leave the table unchanged.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../test/database-backends.ts';
import { alertRuleState } from '../../drizzle/schema/alerts.ts';
import { queryRows, type Database, type DatabaseHandle } from './database.ts';
import {
  ConstraintViolationError,
  knownConstraintNames,
  withConstraintErrors,
  type ConstraintKind,
} from './database-errors.ts';
import type { Device } from './repositories/devices-repository.ts';
import { repositories, type Repositories } from './repositories/repositories.ts';
import type { AlertRule } from './repositories/alert-rules-repository.ts';
import type { Tag } from './repositories/tags-repository.ts';
import type { User } from './repositories/users-repository.ts';

const MISSING = '00000000-0000-4000-8000-000000000000';

interface Fixture {
  db: Database;
  repos: Repositories;
  device: Device;
  tag: Tag;
  rule: AlertRule;
  user: User;
}

interface Case {
  constraint: string;
  kind: ConstraintKind;
  field: string | undefined;
  table: string;
  message: RegExp;
  attempt: (f: Fixture) => Promise<unknown>;
}

const hourAgo = () => new Date(Date.now() - 3_600_000);

const CASES: Case[] = [
  // UNIQUE
  {
    constraint: 'devices_name_key',
    kind: 'unique',
    field: 'name',
    table: 'devices',
    message: /^a device named 'PLC-001' already exists$/,
    attempt: (f) => f.repos.devices.create({ name: 'PLC-001', protocol: 'ModbusTcp', endpoint: 'other:502' }),
  },
  {
    constraint: 'tags_device_name_unique',
    kind: 'unique',
    field: 'name',
    table: 'tags',
    message: /^a tag named 'T1' already exists on device 'PLC-001'$/,
    attempt: (f) => f.repos.tags.create({ deviceId: f.device.id, name: 'T1', address: '40010', dataType: 'Int16' }),
  },
  {
    constraint: 'alert_rules_name_key',
    kind: 'unique',
    field: 'name',
    table: 'alert_rules',
    message: /^an alert rule named 'High T1' already exists$/,
    attempt: (f) =>
      f.repos.alertRules.create({
        name: 'High T1',
        conditionExpression: 'v',
        op: 'GT',
        thresholdValue: 1,
        level: 'INFO',
      }),
  },
  {
    constraint: 'driver_configs_name_key',
    kind: 'unique',
    field: 'name',
    table: 'driver_configs',
    message: /^a driver configuration named 'Line 1' already exists$/,
    attempt: (f) => f.repos.driverConfigs.create({ name: 'Line 1', protocol: 'ModbusRtu', connectionType: 'serial' }),
  },
  {
    constraint: 'driver_registry_pkey',
    kind: 'unique',
    field: 'protocol',
    table: 'driver_registry',
    message: /^a driver is already registered for protocol 'ModbusTcp'$/,
    attempt: (f) => f.repos.driverRegistry.register({ protocol: 'ModbusTcp', name: 'Again', version: '2' }),
  },
  {
    constraint: 'users_username_key',
    kind: 'unique',
    field: 'username',
    table: 'users',
    message: /^the username 'alice' is already taken$/,
    attempt: (f) => f.repos.users.create({ username: 'alice', passwordHash: 'h' }),
  },
  {
    constraint: 'trend_sets_user_name_key',
    kind: 'unique',
    field: 'name',
    table: 'trend_sets',
    message: /^you already have a trend set named 'Boiler day'$/,
    attempt: (f) => f.repos.trendSets.create(f.user.id, 'Boiler day', { pens: [] }),
  },
  {
    constraint: 'users_email_key',
    kind: 'unique',
    field: 'email',
    table: 'users',
    message: /^the e-mail address 'alice@example\.com' is already in use$/,
    attempt: (f) => f.repos.users.create({ username: 'alice2', email: 'alice@example.com', passwordHash: 'h' }),
  },
  {
    constraint: 'user_sessions_token_hash_key',
    kind: 'unique',
    field: 'token_hash',
    table: 'user_sessions',
    message: /session token already exists/,
    attempt: (f) =>
      f.repos.sessions.create({ userId: f.user.id, tokenHash: 'hash-1', expiresAt: new Date(Date.now() + 60_000) }),
  },
  // CHECK
  {
    constraint: 'devices_name_not_empty',
    kind: 'check',
    field: 'name',
    table: 'devices',
    message: /device name must not be empty/,
    attempt: (f) => f.repos.devices.create({ name: '   ', protocol: 'ModbusTcp', endpoint: 'x:502' }),
  },
  {
    constraint: 'devices_endpoint_not_empty',
    kind: 'check',
    field: 'endpoint',
    table: 'devices',
    message: /device endpoint must not be empty/,
    attempt: (f) => f.repos.devices.create({ name: 'No endpoint', protocol: 'ModbusTcp', endpoint: ' ' }),
  },
  {
    constraint: 'tags_name_not_empty',
    kind: 'check',
    field: 'name',
    table: 'tags',
    message: /tag name must not be empty/,
    attempt: (f) => f.repos.tags.create({ deviceId: f.device.id, name: '', address: '40001', dataType: 'Int16' }),
  },
  {
    constraint: 'tags_address_not_empty',
    kind: 'check',
    field: 'address',
    table: 'tags',
    message: /tag address must not be empty/,
    attempt: (f) => f.repos.tags.create({ deviceId: f.device.id, name: 'NoAddr', address: ' ', dataType: 'Int16' }),
  },
  {
    constraint: 'tags_scaling_positive',
    kind: 'check',
    field: 'scaling',
    table: 'tags',
    message: /scaling factor must be greater than 0/,
    attempt: (f) =>
      f.repos.tags.create({ deviceId: f.device.id, name: 'S', address: '40001', dataType: 'Int16', scaling: 0 }),
  },
  {
    constraint: 'tags_scan_rate_positive',
    kind: 'check',
    field: 'scan_rate',
    table: 'tags',
    message: /scan rate must be greater than 0 ms/,
    attempt: (f) =>
      f.repos.tags.create({ deviceId: f.device.id, name: 'R', address: '40001', dataType: 'Int16', scanRate: -100 }),
  },
  {
    constraint: 'tags_min_max_order',
    kind: 'check',
    field: 'min_value',
    table: 'tags',
    message: /minimum value must not be greater than the maximum value/,
    attempt: (f) => f.repos.tags.update(f.tag.id, { minValue: 10, maxValue: 5 }),
  },
  {
    constraint: 'alert_rules_name_not_empty',
    kind: 'check',
    field: 'name',
    table: 'alert_rules',
    message: /alert rule name must not be empty/,
    attempt: (f) =>
      f.repos.alertRules.create({ name: ' ', conditionExpression: 'v', op: 'GT', thresholdValue: 1, level: 'INFO' }),
  },
  {
    constraint: 'alert_rules_threshold_check',
    kind: 'check',
    field: 'threshold_value',
    table: 'alert_rules',
    message: /BETWEEN and NOT_BETWEEN need both a low and a high threshold/,
    attempt: (f) =>
      f.repos.alertRules.create({
        name: 'Band',
        conditionExpression: 'v',
        op: 'BETWEEN',
        thresholdLow: 1,
        level: 'INFO',
      }),
  },
  {
    constraint: 'alert_rules_threshold_check',
    kind: 'check',
    field: 'threshold_value',
    table: 'alert_rules',
    message: /every other operator needs a threshold value/,
    attempt: (f) =>
      f.repos.alertRules.create({
        name: 'NoValue',
        conditionExpression: 'v',
        op: 'LTE',
        thresholdHigh: 9,
        level: 'INFO',
      }),
  },
  {
    constraint: 'alert_history_resolved_after_fired',
    kind: 'check',
    field: 'resolved_at',
    table: 'alert_history',
    message: /cannot be resolved before it fired/,
    attempt: (f) =>
      f.repos.alertHistory.create({
        ruleId: f.rule.id,
        level: 'INFO',
        message: 'm',
        firedAt: new Date(),
        resolvedAt: hourAgo(),
      }),
  },
  {
    constraint: 'alert_history_ack_after_fired',
    kind: 'check',
    field: 'acknowledged_at',
    table: 'alert_history',
    message: /cannot be acknowledged before it fired/,
    attempt: (f) =>
      f.repos.alertHistory.create({
        ruleId: f.rule.id,
        level: 'INFO',
        message: 'm',
        firedAt: new Date(),
        acknowledgedAt: hourAgo(),
      }),
  },
  {
    constraint: 'driver_registry_name_not_empty',
    kind: 'check',
    field: 'name',
    table: 'driver_registry',
    message: /driver name must not be empty/,
    attempt: (f) => f.repos.driverRegistry.register({ protocol: 'Mqtt', name: ' ', version: '1' }),
  },
  {
    constraint: 'driver_registry_version_not_empty',
    kind: 'check',
    field: 'version',
    table: 'driver_registry',
    message: /driver version must not be empty/,
    attempt: (f) => f.repos.driverRegistry.register({ protocol: 'Mqtt', name: 'MQTT', version: '' }),
  },
  ...(
    [
      ['driver_configs_name_not_empty', 'name', { name: ' ' }, /configuration name must not be empty/],
      [
        'driver_configs_scan_interval_positive',
        'scan_interval',
        { scanInterval: 0 },
        /scan interval must be greater than 0/,
      ],
      ['driver_configs_timeout_positive', 'timeout', { timeout: -1 }, /timeout must be greater than 0/],
      [
        'driver_configs_max_concurrent_positive',
        'max_concurrent',
        { maxConcurrent: 0 },
        /concurrent requests must be greater than 0/,
      ],
      ['driver_configs_batch_size_positive', 'batch_size', { batchSize: 0 }, /batch size must be greater than 0/],
    ] as const
  ).map(([constraint, field, values, message]): Case => ({
    constraint,
    kind: 'check',
    field,
    table: 'driver_configs',
    message,
    attempt: (f) =>
      f.repos.driverConfigs.create({
        name: `cfg ${constraint}`,
        protocol: 'ModbusTcp',
        connectionType: 'tcp',
        ...values,
      }),
  })),
  {
    constraint: 'users_username_not_empty',
    kind: 'check',
    field: 'username',
    table: 'users',
    message: /username must not be empty/,
    attempt: (f) => f.repos.users.create({ username: '  ', passwordHash: 'h' }),
  },
  {
    constraint: 'trend_sets_name_not_empty',
    kind: 'check',
    field: 'name',
    table: 'trend_sets',
    message: /trend set name must not be empty/,
    attempt: (f) => f.repos.trendSets.create(f.user.id, '  ', { pens: [] }),
  },
  {
    constraint: 'users_email_format',
    kind: 'check',
    field: 'email',
    table: 'users',
    message: /^'not-an-email' is not a valid e-mail address$/,
    attempt: (f) => f.repos.users.create({ username: 'bob', email: 'not-an-email', passwordHash: 'h' }),
  },
  {
    constraint: 'users_failed_attempts_non_negative',
    kind: 'check',
    field: 'failed_login_attempts',
    table: 'users',
    message: /failed login count cannot be negative/,
    attempt: (f) => f.repos.users.update(f.user.id, { failedLoginAttempts: -1 }),
  },
  {
    constraint: 'user_sessions_expires_after_created',
    kind: 'check',
    field: 'expires_at',
    table: 'user_sessions',
    message: /session must expire after it was created/,
    attempt: (f) => f.repos.sessions.create({ userId: f.user.id, tokenHash: 'hash-2', expiresAt: hourAgo() }),
  },
  {
    constraint: 'audit_logs_action_not_empty',
    kind: 'check',
    field: 'action',
    table: 'audit_logs',
    message: /audit entry needs an action/,
    attempt: (f) => f.repos.auditLogs.append({ userId: f.user.id, action: ' ', success: true }),
  },
  // FOREIGN KEY
  {
    constraint: 'tags_device_id_fkey',
    kind: 'foreign_key',
    field: 'device_id',
    table: 'tags',
    message: new RegExp(`^device '${MISSING}' does not exist$`),
    attempt: (f) => f.repos.tags.create({ deviceId: MISSING, name: 'Orphan', address: '40001', dataType: 'Int16' }),
  },
  {
    constraint: 'alert_rules_device_id_fkey',
    kind: 'foreign_key',
    field: 'device_id',
    table: 'alert_rules',
    message: /^device '.*' does not exist$/,
    attempt: (f) =>
      f.repos.alertRules.create({
        name: 'Orphan rule',
        deviceId: MISSING,
        conditionExpression: 'v',
        op: 'GT',
        thresholdValue: 1,
        level: 'INFO',
      }),
  },
  {
    constraint: 'alert_rules_tag_id_fkey',
    kind: 'foreign_key',
    field: 'tag_id',
    table: 'alert_rules',
    message: /^tag '.*' does not exist$/,
    attempt: (f) =>
      f.repos.alertRules.create({
        name: 'Orphan tag rule',
        tagId: MISSING,
        conditionExpression: 'v',
        op: 'GT',
        thresholdValue: 1,
        level: 'INFO',
      }),
  },
  {
    constraint: 'alert_rules_deadband_not_negative',
    kind: 'check',
    field: 'deadband',
    table: 'alert_rules',
    message: /the deadband must not be negative/,
    attempt: (f) =>
      f.repos.alertRules.create({
        name: 'Negative deadband',
        conditionExpression: 'v',
        op: 'GT',
        thresholdValue: 1,
        deadband: -0.5,
        level: 'INFO',
      }),
  },
  {
    constraint: 'alert_rule_state_rule_id_fkey',
    kind: 'foreign_key',
    field: 'rule_id',
    table: 'alert_rule_state',
    message: /^alert rule '.*' does not exist$/,
    attempt: (f) =>
      withConstraintErrors(() => f.db.insert(alertRuleState).values({ ruleId: MISSING, pendingSince: new Date() })),
  },
  {
    constraint: 'alert_history_rule_id_fkey',
    kind: 'foreign_key',
    field: 'rule_id',
    table: 'alert_history',
    message: /^alert rule '.*' does not exist$/,
    attempt: (f) => f.repos.alertHistory.create({ ruleId: MISSING, level: 'INFO', message: 'm' }),
  },
  {
    constraint: 'alert_history_device_id_fkey',
    kind: 'foreign_key',
    field: 'device_id',
    table: 'alert_history',
    message: /^device '.*' does not exist$/,
    attempt: (f) => f.repos.alertHistory.create({ ruleId: f.rule.id, deviceId: MISSING, level: 'INFO', message: 'm' }),
  },
  {
    constraint: 'alert_history_tag_id_fkey',
    kind: 'foreign_key',
    field: 'tag_id',
    table: 'alert_history',
    message: /^tag '.*' does not exist$/,
    attempt: (f) => f.repos.alertHistory.create({ ruleId: f.rule.id, tagId: MISSING, level: 'INFO', message: 'm' }),
  },
  {
    constraint: 'user_sessions_user_id_fkey',
    kind: 'foreign_key',
    field: 'user_id',
    table: 'user_sessions',
    message: /^user '.*' does not exist$/,
    attempt: (f) =>
      f.repos.sessions.create({ userId: MISSING, tokenHash: 'hash-3', expiresAt: new Date(Date.now() + 60_000) }),
  },
  {
    constraint: 'trend_sets_user_id_fkey',
    kind: 'foreign_key',
    field: 'user_id',
    table: 'trend_sets',
    message: /^user '.*' does not exist$/,
    attempt: (f) => f.repos.trendSets.create(MISSING, 'Orphan', { pens: [] }),
  },
  {
    constraint: 'audit_logs_user_id_fkey',
    kind: 'foreign_key',
    field: 'user_id',
    table: 'audit_logs',
    message: /^user '.*' does not exist$/,
    attempt: (f) => f.repos.auditLogs.append({ userId: MISSING, action: 'login', success: false }),
  },
  {
    constraint: 'users_created_by_fkey',
    kind: 'foreign_key',
    field: 'created_by',
    table: 'users',
    message: /^user '.*' does not exist$/,
    attempt: (f) => f.repos.users.create({ username: 'carol', passwordHash: 'h', createdBy: MISSING }),
  },
];

const VALUE_CASES: { name: string; table: string; message: RegExp; attempt: (f: Fixture) => Promise<unknown> }[] = [
  {
    name: 'an unknown enum label',
    table: 'devices',
    message: /^'Profibus' is not a valid protocol kind$/,
    attempt: (f) => f.repos.devices.create({ name: 'X', protocol: 'Profibus' as never, endpoint: 'x' }),
  },
  {
    name: 'a malformed id',
    table: 'tags',
    message: /^'not-a-uuid' is not a valid id$/,
    attempt: (f) => f.repos.tags.create({ deviceId: 'not-a-uuid', name: 'X', address: '1', dataType: 'Int16' }),
  },
  {
    name: 'a name longer than VARCHAR(255)',
    table: 'devices',
    message: /longer than the 255 characters allowed/,
    attempt: (f) => f.repos.devices.create({ name: 'x'.repeat(256), protocol: 'ModbusTcp', endpoint: 'x' }),
  },
];

for (const backend of databaseBackends()) {
  describe.skipIf(!backend.available)(`constraints on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let fixture: Fixture;

    beforeAll(async () => {
      handle = await backend.open();
      const repos = repositories(handle.db);
      const device = await repos.devices.create({ name: 'PLC-001', protocol: 'ModbusTcp', endpoint: '127.0.0.1:502' });
      const tag = await repos.tags.create({ deviceId: device.id, name: 'T1', address: '40001', dataType: 'Int16' });
      const rule = await repos.alertRules.create({
        name: 'High T1',
        tagId: tag.id,
        conditionExpression: 'value > 10',
        op: 'GT',
        thresholdValue: 10,
        level: 'WARNING',
      });
      const user = await repos.users.create({ username: 'alice', email: 'alice@example.com', passwordHash: 'h' });
      await repos.driverConfigs.create({ name: 'Line 1', protocol: 'ModbusRtu', connectionType: 'serial' });
      await repos.driverRegistry.register({ protocol: 'ModbusTcp', name: 'Modbus TCP', version: '1.0.0' });
      await repos.sessions.create({ userId: user.id, tokenHash: 'hash-1', expiresAt: new Date(Date.now() + 60_000) });
      await repos.trendSets.create(user.id, 'Boiler day', { pens: [] });
      fixture = { db: handle.db, repos, device, tag, rule, user };
    });
    afterAll(async () => {
      await handle?.close();
    });

    it('covers every named constraint of the schema', async () => {
      const rows = await queryRows<{ conname: string }>(
        handle.db,
        sql`SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
            WHERE n.nspname = 'public' AND c.contype IN ('c', 'u', 'f')`,
      );
      const schemaConstraints = new Set(rows.map((r) => r.conname));
      const tested = new Set(CASES.map((c) => c.constraint));
      for (const name of schemaConstraints) {
        expect(tested.has(name), `constraint ${name} has a test case`).toBe(true);
        expect(knownConstraintNames(), `constraint ${name} has a message`).toContain(name);
      }
    });

    it.each(CASES.map((c) => [`${c.constraint} (${c.message.source.slice(0, 40)})`, c] as const))(
      '%s is reported in words and writes nothing',
      async (_label, testCase) => {
        const before = await snapshot(handle, testCase.table);
        const error = await testCase.attempt(fixture).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ConstraintViolationError);
        const violation = error as ConstraintViolationError;
        expect(violation.kind).toBe(testCase.kind);
        expect(violation.constraint).toBe(testCase.constraint);
        expect(violation.field).toBe(testCase.field);
        expect(violation.message).toMatch(testCase.message);
        expect(await snapshot(handle, testCase.table)).toEqual(before);
      },
    );

    it.each(VALUE_CASES.map((c) => [c.name, c] as const))('%s is reported in words', async (_label, testCase) => {
      const before = await snapshot(handle, testCase.table);
      const error = await testCase.attempt(fixture).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConstraintViolationError);
      expect((error as ConstraintViolationError).kind).toBe('invalid_value');
      expect((error as Error).message).toMatch(testCase.message);
      expect(await snapshot(handle, testCase.table)).toEqual(before);
    });

    it('stores SQL-looking text as text', async () => {
      const name = "Robert'); DROP TABLE devices;--";
      const device = await fixture.repos.devices.create({ name, protocol: 'ModbusTcp', endpoint: 'x:502' });
      expect((await fixture.repos.devices.get(device.id))?.name).toBe(name);
      expect((await fixture.repos.devices.list()).length).toBeGreaterThan(1);
    });
  });
}

/** The table's full content as text, to prove a failed write changed nothing. */
async function snapshot(handle: DatabaseHandle, table: string): Promise<string[]> {
  const rows = await queryRows<{ row: string }>(
    handle.db,
    sql`SELECT t::text AS row FROM ${sql.identifier(table)} t ORDER BY 1`,
  );
  return rows.map((r) => r.row);
}
