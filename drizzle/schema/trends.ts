// Saved trend sets: not in the seed (an addition, see the README's schema section). A user's
// named set of pens and time range, kept in the relational store so it follows the user from
// one workstation to the next. Deleting the user deletes their sets.
import { sql } from 'drizzle-orm';
import { check, foreignKey, jsonb, pgTable, timestamp, unique, uuid, varchar } from 'drizzle-orm/pg-core';
import { users } from './users.ts';

export const trendSets = pgTable(
  'trend_sets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    name: varchar('name', { length: 100 }).notNull(),
    /** { pens: [{ tagId, color }], range: { mode: 'live' | 'preset', preset } | { mode: 'custom', fromMs, toMs } } */
    definition: jsonb('definition').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // each user's names are their own; the (user_id, name) index also serves "my sets by name"
    unique('trend_sets_user_name_key').on(t.userId, t.name),
    foreignKey({ name: 'trend_sets_user_id_fkey', columns: [t.userId], foreignColumns: [users.id] }).onDelete(
      'cascade',
    ),
    check('trend_sets_name_not_empty', sql`LENGTH(TRIM(${t.name})) > 0`),
  ],
);
