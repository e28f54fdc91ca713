import { and, asc, eq, ilike, inArray, or } from 'drizzle-orm';
import { devices, tags } from '../../../drizzle/schema/devices.ts';
import type { Database } from '../database.ts';
import { RecordNotFoundError, withConstraintErrors, type ErrorContext } from '../database-errors.ts';

export type Tag = typeof tags.$inferSelect;
export type NewTag = typeof tags.$inferInsert;
export type TagPatch = Partial<Omit<NewTag, 'id' | 'createdAt' | 'updatedAt'>>;

export interface TagFilter {
  deviceId?: string;
  enabled?: boolean;
  /** matched case-insensitively against name, address and description */
  search?: string;
}

export class TagsRepository {
  constructor(private readonly db: Database) {}

  list(filter: TagFilter = {}): Promise<Tag[]> {
    const conditions = [];
    if (filter.deviceId) conditions.push(eq(tags.deviceId, filter.deviceId));
    if (filter.enabled !== undefined) conditions.push(eq(tags.enabled, filter.enabled));
    if (filter.search) {
      const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      conditions.push(or(ilike(tags.name, pattern), ilike(tags.address, pattern), ilike(tags.description, pattern)));
    }
    return this.db
      .select()
      .from(tags)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(asc(tags.deviceId), asc(tags.name));
  }

  async get(id: string): Promise<Tag | undefined> {
    const [row] = await withConstraintErrors(() => this.db.select().from(tags).where(eq(tags.id, id)));
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
