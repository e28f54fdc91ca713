// Seed §2.4 驱动管理表.
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
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
import { driverStatus, protocolKind } from './enums.ts';

export const driverRegistry = pgTable(
  'driver_registry',
  {
    protocol: protocolKind('protocol').primaryKey(),
    name: varchar('name', { length: 255 }).notNull(),
    version: varchar('version', { length: 50 }).notNull(),
    description: text('description'),
    filePath: text('file_path'),
    fileHash: varchar('file_hash', { length: 128 }),
    apiVersion: integer('api_version').notNull().default(1),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().default({}),
    capabilities: jsonb('capabilities').$type<string[]>().default([]),
    status: driverStatus('status').notNull().default('LOADED'),
    loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull().defaultNow(),
    errorMessage: text('error_message'),
  },
  (t) => [
    check('driver_registry_name_not_empty', sql`LENGTH(TRIM(${t.name})) > 0`),
    check('driver_registry_version_not_empty', sql`LENGTH(TRIM(${t.version})) > 0`),
  ],
);

export const driverConfigs = pgTable(
  'driver_configs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: varchar('name', { length: 255 }).notNull(),
    description: text('description'),
    protocol: varchar('protocol', { length: 50 }).notNull(),
    connectionType: varchar('connection_type', { length: 50 }).notNull(),
    enabled: boolean('enabled').notNull().default(true),
    config: jsonb('config').$type<Record<string, unknown>>().notNull().default({}),
    /** milliseconds */
    scanInterval: integer('scan_interval').notNull().default(1000),
    /** milliseconds */
    timeout: integer('timeout').notNull().default(5000),
    maxConcurrent: integer('max_concurrent').notNull().default(10),
    batchSize: integer('batch_size').notNull().default(100),
    maxRetries: integer('max_retries').notNull().default(3),
    /** milliseconds */
    retryInterval: integer('retry_interval').notNull().default(1000),
    exponentialBackoff: boolean('exponential_backoff').notNull().default(true),
    /** milliseconds */
    maxRetryInterval: integer('max_retry_interval').notNull().default(30000),
    logLevel: varchar('log_level', { length: 20 }).notNull().default('INFO'),
    enableRequestLog: boolean('enable_request_log').notNull().default(false),
    enableResponseLog: boolean('enable_response_log').notNull().default(false),
    /** bytes */
    maxLogSize: integer('max_log_size').notNull().default(1000000),
    enableSsl: boolean('enable_ssl').notNull().default(false),
    verifyCertificate: boolean('verify_certificate').notNull().default(true),
    clientCertPath: text('client_cert_path'),
    clientKeyPath: text('client_key_path'),
    caCertPath: text('ca_cert_path'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('driver_configs_name_key').on(t.name),
    check('driver_configs_name_not_empty', sql`LENGTH(TRIM(${t.name})) > 0`),
    check('driver_configs_scan_interval_positive', sql`${t.scanInterval} > 0`),
    check('driver_configs_timeout_positive', sql`${t.timeout} > 0`),
    check('driver_configs_max_concurrent_positive', sql`${t.maxConcurrent} > 0`),
    check('driver_configs_batch_size_positive', sql`${t.batchSize} > 0`),
    index('idx_driver_configs_protocol').on(t.protocol),
    index('idx_driver_configs_enabled').on(t.enabled),
    index('idx_driver_configs_connection_type').on(t.connectionType),
  ],
);
