// Seed §4 视图定义. The views themselves are created by the custom SQL migration
// (drizzle/migrations/*_functions_triggers_views.sql); these declarations only give them types.
import { bigint, boolean, doublePrecision, pgView, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { alertLevel, deviceStatus, protocolKind } from './enums.ts';

export const deviceOverview = pgView('device_overview', {
  id: uuid('id').notNull(),
  name: varchar('name', { length: 255 }).notNull(),
  description: text('description'),
  protocol: protocolKind('protocol').notNull(),
  location: varchar('location', { length: 255 }),
  status: deviceStatus('status').notNull(),
  lastSeen: timestamp('last_seen', { withTimezone: true }),
  enabled: boolean('enabled').notNull(),
  tagCount: bigint('tag_count', { mode: 'number' }).notNull(),
  enabledTagCount: bigint('enabled_tag_count', { mode: 'number' }).notNull(),
  activeAlertCount: bigint('active_alert_count', { mode: 'number' }).notNull(),
}).existing();

export const alertStatistics = pgView('alert_statistics', {
  hour: timestamp('hour', { withTimezone: true }).notNull(),
  level: alertLevel('level').notNull(),
  alertCount: bigint('alert_count', { mode: 'number' }).notNull(),
  activeCount: bigint('active_count', { mode: 'number' }).notNull(),
  resolvedCount: bigint('resolved_count', { mode: 'number' }).notNull(),
  avgDurationSeconds: doublePrecision('avg_duration_seconds'),
}).existing();
