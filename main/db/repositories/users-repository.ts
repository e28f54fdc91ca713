import { asc, count, eq, sql } from 'drizzle-orm';
import type { UserRole } from '../../../common/enums.ts';
import { users } from '../../../drizzle/schema/users.ts';
import type { Database } from '../database.ts';
import { RecordNotFoundError, withConstraintErrors } from '../database-errors.ts';

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type UserPatch = Partial<Omit<NewUser, 'id' | 'createdAt' | 'updatedAt'>>;

export class UsersRepository {
  constructor(private readonly db: Database) {}

  list(): Promise<User[]> {
    return this.db.select().from(users).orderBy(asc(users.username));
  }

  async get(id: string): Promise<User | undefined> {
    const [row] = await withConstraintErrors(() => this.db.select().from(users).where(eq(users.id, id)));
    return row;
  }

  /** Usernames are matched case-insensitively (uses idx_users_lower_username). */
  async getByUsername(username: string): Promise<User | undefined> {
    const [row] = await this.db
      .select()
      .from(users)
      .where(sql`lower(${users.username}) = lower(${username})`);
    return row;
  }

  async count(role?: UserRole): Promise<number> {
    const [row] = await this.db
      .select({ n: count() })
      .from(users)
      .where(role ? eq(users.role, role) : undefined);
    return Number(row?.n ?? 0);
  }

  async create(input: NewUser): Promise<User> {
    const [row] = await withConstraintErrors(() => this.db.insert(users).values(input).returning(), {
      email: input.email,
    });
    return row as User;
  }

  async update(id: string, patch: UserPatch): Promise<User> {
    const [row] = await withConstraintErrors(
      () => this.db.update(users).set(patch).where(eq(users.id, id)).returning(),
      { email: patch.email },
    );
    if (!row) throw new RecordNotFoundError('user', id);
    return row;
  }

  /**
   * Counts one failed login in a single statement (two wrong passwords at once must both count)
   * and locks the account when the count reaches `maxAttempts`. Returns the new state.
   */
  async recordFailedLogin(
    id: string,
    maxAttempts: number,
    lockedUntil: Date,
  ): Promise<Pick<User, 'failedLoginAttempts' | 'status' | 'lockedUntil'>> {
    const [row] = await withConstraintErrors(() =>
      this.db
        .update(users)
        .set({
          failedLoginAttempts: sql`${users.failedLoginAttempts} + 1`,
          status: sql`CASE WHEN ${users.failedLoginAttempts} + 1 >= ${maxAttempts} THEN 'LOCKED'::user_status ELSE ${users.status} END`,
          lockedUntil: sql`CASE WHEN ${users.failedLoginAttempts} + 1 >= ${maxAttempts} THEN ${lockedUntil.toISOString()}::timestamptz ELSE ${users.lockedUntil} END`,
        })
        .where(eq(users.id, id))
        .returning({
          failedLoginAttempts: users.failedLoginAttempts,
          status: users.status,
          lockedUntil: users.lockedUntil,
        }),
    );
    if (!row) throw new RecordNotFoundError('user', id);
    return row;
  }

  /**
   * Administrators other than `exceptId` who can sign in now or once an automatic lockout ends,
   * locked FOR UPDATE so that two administrators cannot demote each other at the same moment.
   * Call it inside a transaction.
   */
  async otherUsableAdminIds(exceptId: string): Promise<string[]> {
    const rows = await this.db
      .select({ id: users.id })
      .from(users)
      .where(
        sql`${users.role} = 'ADMIN' AND ${users.id} <> ${exceptId} AND (${users.status} = 'ACTIVE' OR (${users.status} = 'LOCKED' AND ${users.lockedUntil} IS NOT NULL))`,
      )
      .for('update');
    return rows.map((row) => row.id);
  }

  async delete(id: string): Promise<void> {
    const deleted = await withConstraintErrors(() =>
      this.db.delete(users).where(eq(users.id, id)).returning({ id: users.id }),
    );
    if (deleted.length === 0) throw new RecordNotFoundError('user', id);
  }
}
