// Seed §2.5 用户和权限管理表.
//
// Deliberate deviation: the seed's audit_logs.user_id and users.created_by reference users with
// no ON DELETE rule, so an ADMIN could never delete a user who has ever done anything. The audit
// trail must outlive the account: both are ON DELETE SET NULL here, and the audit writer keeps
// the username in `details`.
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  inet,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
  varchar,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { userRole, userStatus } from './enums.ts';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    username: varchar('username', { length: 255 }).notNull(),
    email: varchar('email', { length: 255 }),
    passwordHash: varchar('password_hash', { length: 255 }).notNull(),
    salt: varchar('salt', { length: 255 }),
    fullName: varchar('full_name', { length: 255 }),
    role: userRole('role').notNull().default('VIEWER'),
    status: userStatus('status').notNull().default('ACTIVE'),
    lastLogin: timestamp('last_login', { withTimezone: true }),
    failedLoginAttempts: integer('failed_login_attempts').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    passwordExpiresAt: timestamp('password_expires_at', { withTimezone: true }),
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by'),
  },
  (t) => [
    unique('users_username_key').on(t.username),
    unique('users_email_key').on(t.email),
    foreignKey({
      name: 'users_created_by_fkey',
      columns: [t.createdBy],
      foreignColumns: [t.id] as [AnyPgColumn],
    }).onDelete('set null'),
    check('users_username_not_empty', sql`LENGTH(TRIM(${t.username})) > 0`),
    check(
      'users_email_format',
      sql`${t.email} IS NULL OR ${t.email} ~* '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$'`,
    ),
    check('users_failed_attempts_non_negative', sql`${t.failedLoginAttempts} >= 0`),
    index('idx_users_username').on(t.username),
    index('idx_users_email')
      .on(t.email)
      .where(sql`${t.email} IS NOT NULL`),
    index('idx_users_role').on(t.role),
    index('idx_users_status').on(t.status),
    // seed §1.2 (optimisation section)
    index('idx_users_lower_username').on(sql`lower(${t.username})`),
  ],
);

export const userSessions = pgTable(
  'user_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    tokenHash: varchar('token_hash', { length: 255 }).notNull(),
    refreshTokenHash: varchar('refresh_token_hash', { length: 255 }),
    ipAddress: inet('ip_address'),
    userAgent: text('user_agent'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastActivity: timestamp('last_activity', { withTimezone: true }).notNull().defaultNow(),
    isActive: boolean('is_active').notNull().default(true),
  },
  (t) => [
    foreignKey({ name: 'user_sessions_user_id_fkey', columns: [t.userId], foreignColumns: [users.id] }).onDelete(
      'cascade',
    ),
    unique('user_sessions_token_hash_key').on(t.tokenHash),
    check('user_sessions_expires_after_created', sql`${t.expiresAt} > ${t.createdAt}`),
    index('idx_user_sessions_user_id').on(t.userId),
    index('idx_user_sessions_token').on(t.tokenHash),
    index('idx_user_sessions_active').on(t.isActive, t.expiresAt),
  ],
);

export const auditLogs = pgTable(
  'audit_logs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id'),
    action: varchar('action', { length: 100 }).notNull(),
    resourceType: varchar('resource_type', { length: 100 }),
    resourceId: uuid('resource_id'),
    details: jsonb('details').$type<Record<string, unknown>>().default({}),
    ipAddress: inet('ip_address'),
    userAgent: text('user_agent'),
    success: boolean('success').notNull(),
    errorMessage: text('error_message'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ name: 'audit_logs_user_id_fkey', columns: [t.userId], foreignColumns: [users.id] }).onDelete(
      'set null',
    ),
    check('audit_logs_action_not_empty', sql`LENGTH(TRIM(${t.action})) > 0`),
    index('idx_audit_logs_user_action').on(t.userId, t.action),
    index('idx_audit_logs_created_at').on(t.createdAt),
    index('idx_audit_logs_resource').on(t.resourceType, t.resourceId),
  ],
);
