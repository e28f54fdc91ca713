import { and, asc, count, eq, ilike, inArray, or, type SQL } from 'drizzle-orm';
import { devices, tags } from '../../../drizzle/schema/devices.ts';
import type { Database } from '../database.ts';
import { containsPattern } from '../like-pattern.ts';
import { RecordNotFoundError, withConstraintErrors, type ErrorContext } from '../database-errors.ts';

export type Tag = typeof tags.$inferSelect;
export type NewTag = typeof tags.$inferInsert;
export type TagPatch = Partial<Omit<NewTag, 'id' | 'createdAt' | 'updatedAt'>>;

export interface TagFilter {
  deviceId?: string;
  enabled?: boolean;
  /** matched case-insensitively against name, address and description */
  search?: string;
  limit?: number;
  offset?: number;
}

export class TagsRepository {
  constructor(private readonly db: Database) {}

  list(filter: TagFilter = {}): Promise<Tag[]> {
    const query = this.db
      .select()
      .from(tags)
      .where(this.conditions(filter))
      .orderBy(asc(tags.deviceId), asc(tags.name))
      .$dynamic();
    if (filter.limit !== undefined) query.limit(filter.limit);
    if (filter.offset) query.offset(filter.offset);
    return withConstraintErrors(() => query);
  }

  /** How many tags match the filter (limit and offset aside), for paging. */
  async count(filter: Omit<TagFilter, 'limit' | 'offset'> = {}): Promise<number> {
    const [row] = await withConstraintErrors(() =>
      this.db.select({ n: count() }).from(tags).where(this.conditions(filter)),
    );
    return Number(row?.n ?? 0);
  }

  async get(id: string): Promise<Tag | undefined> {
    const [row] = await withConstraintErrors(() => this.db.select().from(tags).where(eq(tags.id, id)));
    return row;
  }

  async getByName(deviceId: string, name: string): Promise<Tag | undefined> {
    const [row] = await withConstraintErrors(() =>
      this.db
        .select()
        .from(tags)
        .where(and(eq(tags.deviceId, deviceId), eq(tags.name, name))),
    );
    return row;
  }

  getMany(ids: string[]): Promise<Tag[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return withConstraintErrors(() => this.db.select().from(tags).where(inArray(tags.id, ids)));
  }

  async create(input: NewTag): Promise<Tag> {
    const context = await this.context(input.deviceId);
    const [row] = await withConstraintErrors(() => this.db.insert(tags).values(input).returning(), context);
    return row as Tag;
  }

  async createMany(inputs: NewTag[]): Promise<Tag[]> {
    if (inputs.length === 0) return [];
    return withConstraintErrors(() => this.db.insert(tags).values(inputs).returning());
  }

  async update(id: string, patch: TagPatch): Promise<Tag> {
    const existing = await this.get(id);
    if (!existing) throw new RecordNotFoundError('tag', id);
    const context = await this.context(patch.deviceId ?? existing.deviceId);
    const [row] = await withConstraintErrors(
      () => this.db.update(tags).set(patch).where(eq(tags.id, id)).returning(),
      context,
    );
    if (!row) throw new RecordNotFoundError('tag', id);
    return row;
  }

  async delete(id: string): Promise<void> {
    const deleted = await withConstraintErrors(() =>
      this.db.delete(tags).where(eq(tags.id, id)).returning({ id: tags.id }),
    );
    if (deleted.length === 0) throw new RecordNotFoundError('tag', id);
  }

  private conditions(filter: TagFilter): SQL | undefined {
    const conditions: SQL[] = [];
    if (filter.deviceId) conditions.push(eq(tags.deviceId, filter.deviceId));
    if (filter.enabled !== undefined) conditions.push(eq(tags.enabled, filter.enabled));
    if (filter.search) {
      const pattern = containsPattern(filter.search);
      conditions.push(
        or(ilike(tags.name, pattern), ilike(tags.address, pattern), ilike(tags.description, pattern)) as SQL,
      );
    }
    return conditions.length ? and(...conditions) : undefined;
  }

  /** The device's name, so that "already exists on device 'PLC-001'" reads as the user knows it. */
  private async context(deviceId: string | undefined): Promise<ErrorContext> {
    if (!deviceId) return {};
    try {
      const [device] = await this.db.select({ name: devices.name }).from(devices).where(eq(devices.id, deviceId));
      return { deviceName: device?.name };
    } catch {
      return {}; // a malformed id: the insert itself reports it
    }
  }
}
