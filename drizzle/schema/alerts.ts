// Seed §2.3 报警管理表.
//
// Deliberate deviation (seed flaw b): the seed declares alert_history.device_id/tag_id with no
// ON DELETE rule while rules cascade from devices and tags, so deleting a device with alert
// history either fails or (through rule_id CASCADE) silently erases that history. An operator
// expects the history of a decommissioned device to stay. Here rule_id, device_id and tag_id
// are ON DELETE SET NULL (rule_id is therefore nullable); the alert engine stores the rule,
// device and tag names in `details` when an alert fires, so a history row stays readable.
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  doublePrecision,
  foreignKey,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { devices, tags } from './devices.ts';
import { alertLevel, alertStatus, compareOp } from './enums.ts';
import { intervalMs } from '../columns/interval-ms.ts';

export const alertRules = pgTable(
  'alert_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: varchar('name', { length: 255 }).notNull(),
    description: text('description'),
    deviceId: uuid('device_id'),
    tagId: uuid('tag_id'),
    conditionExpression: text('condition_expression').notNull(),
    op: compareOp('op').notNull(),
    thresholdValue: doublePrecision('threshold_value'),
    thresholdHigh: doublePrecision('threshold_high'),
    thresholdLow: doublePrecision('threshold_low'),
    level: alertLevel('level').notNull(),
    /** milliseconds (INTERVAL in the database) */
    evalInterval: intervalMs('eval_interval')
      .notNull()
      .default(sql`'1 minute'`),
    /** milliseconds (INTERVAL in the database) */
    evalDuration: intervalMs('eval_duration'),
    /** milliseconds (INTERVAL in the database) */
    cooldownDuration: intervalMs('cooldown_duration').default(sql`'5 minutes'`),
    enabled: boolean('enabled').notNull().default(true),
    /**
     * Not in the seed: hysteresis. An alert that is on clears only once the value is this far
     * past the threshold on the safe side (same unit as the expression), so it does not chatter.
     */
    deadband: doublePrecision('deadband').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: varchar('created_by', { length: 255 }),
  },
  (t) => [
    unique('alert_rules_name_key').on(t.name),
    foreignKey({
      name: 'alert_rules_device_id_fkey',
      columns: [t.deviceId],
      foreignColumns: [devices.id],
    }).onDelete('cascade'),
    foreignKey({ name: 'alert_rules_tag_id_fkey', columns: [t.tagId], foreignColumns: [tags.id] }).onDelete('cascade'),
    check('alert_rules_name_not_empty', sql`LENGTH(TRIM(${t.name})) > 0`),
    check('alert_rules_deadband_not_negative', sql`${t.deadband} >= 0`),
    check(
      'alert_rules_threshold_check',
      sql`(${t.op} IN ('BETWEEN', 'NOT_BETWEEN') AND ${t.thresholdHigh} IS NOT NULL AND ${t.thresholdLow} IS NOT NULL) OR (${t.op} NOT IN ('BETWEEN', 'NOT_BETWEEN') AND ${t.thresholdValue} IS NOT NULL)`,
    ),
    index('idx_alert_rules_device_tag').on(t.deviceId, t.tagId),
    index('idx_alert_rules_enabled').on(t.enabled),
    index('idx_alert_rules_level').on(t.level),
  ],
);

export const alertHistory = pgTable(
  'alert_history',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ruleId: uuid('rule_id'),
    deviceId: uuid('device_id'),
    tagId: uuid('tag_id'),
    firedAt: timestamp('fired_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acknowledgedBy: varchar('acknowledged_by', { length: 255 }),
    triggeredValue: doublePrecision('triggered_value'),
    thresholdValue: doublePrecision('threshold_value'),
    level: alertLevel('level').notNull(),
    status: alertStatus('status').notNull().default('ACTIVE'),
    message: text('message').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().default({}),
    /** milliseconds (INTERVAL in the database) */
    duration: intervalMs('duration'),
  },
  (t) => [
    foreignKey({
      name: 'alert_history_rule_id_fkey',
      columns: [t.ruleId],
      foreignColumns: [alertRules.id],
    }).onDelete('set null'),
    foreignKey({
      name: 'alert_history_device_id_fkey',
      columns: [t.deviceId],
      foreignColumns: [devices.id],
    }).onDelete('set null'),
    foreignKey({ name: 'alert_history_tag_id_fkey', columns: [t.tagId], foreignColumns: [tags.id] }).onDelete(
      'set null',
    ),
    check('alert_history_resolved_after_fired', sql`${t.resolvedAt} IS NULL OR ${t.resolvedAt} >= ${t.firedAt}`),
    check('alert_history_ack_after_fired', sql`${t.acknowledgedAt} IS NULL OR ${t.acknowledgedAt} >= ${t.firedAt}`),
    index('idx_alert_history_rule_id').on(t.ruleId),
    index('idx_alert_history_fired_at').on(t.firedAt),
    index('idx_alert_history_status').on(t.status),
    index('idx_alert_history_level').on(t.level),
    index('idx_alert_history_device_time').on(t.deviceId, t.firedAt),
  ],
);

/**
 * Not in the seed: the alert engine's state that is not an alert yet, so a restart neither
 * forgets nor restarts it. A row exists while a rule's condition holds but has not held for
 * eval_duration (or waits out cooldown_duration): `pending_since` is when it began to hold.
 */
export const alertRuleState = pgTable(
  'alert_rule_state',
  {
    ruleId: uuid('rule_id').primaryKey(),
    pendingSince: timestamp('pending_since', { withTimezone: true }).notNull(),
  },
  (t) => [
    foreignKey({
      name: 'alert_rule_state_rule_id_fkey',
      columns: [t.ruleId],
      foreignColumns: [alertRules.id],
    }).onDelete('cascade'),
  ],
);
