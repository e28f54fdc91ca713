// Seed §2.1 设备管理表 and §2.2 标签管理表, plus the optimisation indexes of seed §1.2.
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { deviceStatus, protocolKind, tagAccess, tagDataType } from './enums.ts';

export const devices = pgTable(
  'devices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: varchar('name', { length: 255 }).notNull(),
    description: text('description'),
    protocol: protocolKind('protocol').notNull(),
    location: varchar('location', { length: 255 }),
    endpoint: varchar('endpoint', { length: 255 }).notNull(),
    config: jsonb('config').$type<Record<string, unknown>>().notNull().default({}),
    enabled: boolean('enabled').notNull().default(true),
    status: deviceStatus('status').notNull().default('Unknown'),
    lastSeen: timestamp('last_seen', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: varchar('created_by', { length: 255 }),
    updatedBy: varchar('updated_by', { length: 255 }),
  },
  (t) => [
    unique('devices_name_key').on(t.name),
    check('devices_name_not_empty', sql`LENGTH(TRIM(${t.name})) > 0`),
    check('devices_endpoint_not_empty', sql`LENGTH(TRIM(${t.endpoint})) > 0`),
    index('idx_devices_protocol').on(t.protocol),
    index('idx_devices_status').on(t.status),
    index('idx_devices_enabled').on(t.enabled),
    index('idx_devices_created_at').on(t.createdAt),
    index('idx_devices_location')
      .on(t.location)
      .where(sql`${t.location} IS NOT NULL`),
    index('idx_devices_config_gin').using('gin', t.config),
    // seed §1.2 (optimisation section)
    index('idx_devices_online_last_seen')
      .on(t.lastSeen)
      .where(sql`${t.status} = 'Online'`),
    index('idx_devices_config_modbus').using('gin', sql`(${t.config}->'modbus')`),
  ],
);

export const tags = pgTable(
  'tags',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deviceId: uuid('device_id').notNull(),
    name: varchar('name', { length: 255 }).notNull(),
    description: text('description'),
    address: varchar('address', { length: 255 }).notNull(),
    dataType: tagDataType('data_type').notNull(),
    accessType: tagAccess('access_type').notNull().default('Read'),
    unit: varchar('unit', { length: 50 }),
    scaling: doublePrecision('scaling').default(1.0),
    tagOffset: doublePrecision('tag_offset').default(0.0),
    minValue: doublePrecision('min_value'),
    maxValue: doublePrecision('max_value'),
    deadband: doublePrecision('deadband'),
    /** milliseconds */
    scanRate: integer('scan_rate'),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ name: 'tags_device_id_fkey', columns: [t.deviceId], foreignColumns: [devices.id] }).onDelete(
      'cascade',
    ),
    unique('tags_device_name_unique').on(t.deviceId, t.name),
    check('tags_name_not_empty', sql`LENGTH(TRIM(${t.name})) > 0`),
    check('tags_address_not_empty', sql`LENGTH(TRIM(${t.address})) > 0`),
    check('tags_scaling_positive', sql`${t.scaling} > 0`),
    check('tags_scan_rate_positive', sql`${t.scanRate} IS NULL OR ${t.scanRate} > 0`),
    check('tags_min_max_order', sql`${t.minValue} IS NULL OR ${t.maxValue} IS NULL OR ${t.minValue} <= ${t.maxValue}`),
    index('idx_tags_device_id').on(t.deviceId),
    index('idx_tags_data_type').on(t.dataType),
    index('idx_tags_enabled').on(t.enabled),
    index('idx_tags_address').on(t.deviceId, t.address),
    index('idx_tags_scan_rate')
      .on(t.scanRate)
      .where(sql`${t.scanRate} IS NOT NULL`),
    // seed §1.2 (optimisation section)
    index('idx_tags_device_enabled_type')
      .on(t.deviceId, t.enabled, t.dataType)
      .where(sql`${t.enabled} = true`),
  ],
);
