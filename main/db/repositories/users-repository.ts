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

  async delete(id: string): Promise<void> {
    const deleted = await withConstraintErrors(() =>
      this.db.delete(users).where(eq(users.id, id)).returning({ id: users.id }),
    );
    if (deleted.length === 0) throw new RecordNotFoundError('user', id);
  }
}
