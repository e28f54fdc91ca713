import { and, desc, eq, gt, lt, or } from 'drizzle-orm';
import { userSessions } from '../../../drizzle/schema/users.ts';
import type { Database } from '../database.ts';
import { withConstraintErrors } from '../database-errors.ts';

export type UserSession = typeof userSessions.$inferSelect;
export type NewUserSession = typeof userSessions.$inferInsert;

export class SessionsRepository {
  constructor(private readonly db: Database) {}

  async create(input: NewUserSession): Promise<UserSession> {
    const [row] = await withConstraintErrors(() => this.db.insert(userSessions).values(input).returning());
    return row as UserSession;
  }

  /** An active, unexpired session by the hash of its token. */
  async findActiveByTokenHash(tokenHash: string, now: Date = new Date()): Promise<UserSession | undefined> {
    const [row] = await this.db
      .select()
      .from(userSessions)
      .where(
        and(eq(userSessions.tokenHash, tokenHash), eq(userSessions.isActive, true), gt(userSessions.expiresAt, now)),
      );
    return row;
  }

  /** A session by the hash of its token, whatever its state (the caller says why it is refused). */
  async findByTokenHash(tokenHash: string): Promise<UserSession | undefined> {
    const [row] = await this.db.select().from(userSessions).where(eq(userSessions.tokenHash, tokenHash));
    return row;
  }

  /** Sessions of a user that are neither revoked nor past their expiry. */
  listActiveForUser(userId: string, now: Date = new Date()): Promise<UserSession[]> {
    return withConstraintErrors(() =>
      this.db
        .select()
        .from(userSessions)
        .where(and(eq(userSessions.userId, userId), eq(userSessions.isActive, true), gt(userSessions.expiresAt, now)))
        .orderBy(desc(userSessions.lastActivity)),
    );
  }

  listForUser(userId: string): Promise<UserSession[]> {
    return withConstraintErrors(() => this.db.select().from(userSessions).where(eq(userSessions.userId, userId)));
  }

  async touch(id: string, at: Date = new Date()): Promise<void> {
    await this.db.update(userSessions).set({ lastActivity: at }).where(eq(userSessions.id, id));
  }

  async revoke(id: string): Promise<void> {
    await withConstraintErrors(() =>
      this.db.update(userSessions).set({ isActive: false }).where(eq(userSessions.id, id)),
    );
  }

  /** Revokes every session of a user (password change, ADMIN action); returns how many. */
  async revokeAllForUser(userId: string): Promise<number> {
    const rows = await withConstraintErrors(() =>
      this.db
        .update(userSessions)
        .set({ isActive: false })
        .where(and(eq(userSessions.userId, userId), eq(userSessions.isActive, true)))
        .returning({ id: userSessions.id }),
    );
    return rows.length;
  }

  /** Deletes sessions that expired or were revoked before `before`; returns how many. */
  async purge(before: Date): Promise<number> {
    const rows = await this.db
      .delete(userSessions)
      .where(
        or(
          lt(userSessions.expiresAt, before),
          and(eq(userSessions.isActive, false), lt(userSessions.lastActivity, before)),
        ),
      )
      .returning({ id: userSessions.id });
    return rows.length;
  }
}
