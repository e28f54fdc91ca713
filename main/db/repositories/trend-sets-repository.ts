// Saved trend sets, each user's own: every read and change is scoped to the user, and another
// user's set is "not found" rather than "forbidden" (its existence is nobody else's business).
import { and, asc, eq, sql } from 'drizzle-orm';
import { trendSets } from '../../../drizzle/schema/trends.ts';
import type { Database } from '../database.ts';
import { RecordNotFoundError, withConstraintErrors } from '../database-errors.ts';

export type TrendSet = typeof trendSets.$inferSelect;

export class TrendSetsRepository {
  constructor(private readonly db: Database) {}

  /** The user's sets by name. */
  list(userId: string): Promise<TrendSet[]> {
    return this.db.select().from(trendSets).where(eq(trendSets.userId, userId)).orderBy(asc(trendSets.name));
  }

  async create(userId: string, name: string, definition: unknown): Promise<TrendSet> {
    const [row] = await withConstraintErrors(() =>
      this.db.insert(trendSets).values({ userId, name, definition }).returning(),
    );
    return row as TrendSet;
  }

  /** Renames a set and/or replaces its pens and range. */
  async update(userId: string, id: string, patch: { name?: string; definition?: unknown }): Promise<TrendSet> {
    const [row] = await withConstraintErrors(() =>
      this.db
        .update(trendSets)
        .set({ ...patch, updatedAt: sql`now()` })
        .where(and(eq(trendSets.id, id), eq(trendSets.userId, userId)))
        .returning(),
    );
    if (!row) throw new RecordNotFoundError('trend set', id);
    return row;
  }

  async delete(userId: string, id: string): Promise<TrendSet> {
    const [row] = await withConstraintErrors(() =>
      this.db
        .delete(trendSets)
        .where(and(eq(trendSets.id, id), eq(trendSets.userId, userId)))
        .returning(),
    );
    if (!row) throw new RecordNotFoundError('trend set', id);
    return row;
  }
}
