import { asc, eq } from 'drizzle-orm';
import { driverConfigs } from '../../../drizzle/schema/drivers.ts';
import type { Database } from '../database.ts';
import { RecordNotFoundError, withConstraintErrors } from '../database-errors.ts';

export type DriverConfig = typeof driverConfigs.$inferSelect;
export type NewDriverConfig = typeof driverConfigs.$inferInsert;
export type DriverConfigPatch = Partial<Omit<NewDriverConfig, 'id' | 'createdAt' | 'updatedAt'>>;

export class DriverConfigsRepository {
  constructor(private readonly db: Database) {}

  list(): Promise<DriverConfig[]> {
    return this.db.select().from(driverConfigs).orderBy(asc(driverConfigs.name));
  }

  async get(id: string): Promise<DriverConfig | undefined> {
    const [row] = await withConstraintErrors(() =>
      this.db.select().from(driverConfigs).where(eq(driverConfigs.id, id)),
    );
    return row;
  }

  async getByName(name: string): Promise<DriverConfig | undefined> {
    const [row] = await this.db.select().from(driverConfigs).where(eq(driverConfigs.name, name));
    return row;
  }

  async create(input: NewDriverConfig): Promise<DriverConfig> {
    const [row] = await withConstraintErrors(() => this.db.insert(driverConfigs).values(input).returning());
    return row as DriverConfig;
  }

  async update(id: string, patch: DriverConfigPatch): Promise<DriverConfig> {
    const [row] = await withConstraintErrors(() =>
      this.db.update(driverConfigs).set(patch).where(eq(driverConfigs.id, id)).returning(),
    );
    if (!row) throw new RecordNotFoundError('driver configuration', id);
    return row;
  }

  async delete(id: string): Promise<void> {
    const deleted = await withConstraintErrors(() =>
      this.db.delete(driverConfigs).where(eq(driverConfigs.id, id)).returning({ id: driverConfigs.id }),
    );
    if (deleted.length === 0) throw new RecordNotFoundError('driver configuration', id);
  }
}
