import { asc, eq } from 'drizzle-orm';
import { driverRegistry } from '../../../drizzle/schema/drivers.ts';
import type { DriverStatus, ProtocolKind } from '../../../common/enums.ts';
import type { Database } from '../database.ts';
import { RecordNotFoundError, withConstraintErrors } from '../database-errors.ts';

export type DriverRegistration = typeof driverRegistry.$inferSelect;
export type NewDriverRegistration = typeof driverRegistry.$inferInsert;

export class DriverRegistryRepository {
  constructor(private readonly db: Database) {}

  list(): Promise<DriverRegistration[]> {
    return this.db.select().from(driverRegistry).orderBy(asc(driverRegistry.protocol));
  }

  async get(protocol: ProtocolKind): Promise<DriverRegistration | undefined> {
    const [row] = await withConstraintErrors(() =>
      this.db.select().from(driverRegistry).where(eq(driverRegistry.protocol, protocol)),
    );
    return row;
  }

  async register(input: NewDriverRegistration): Promise<DriverRegistration> {
    const [row] = await withConstraintErrors(() => this.db.insert(driverRegistry).values(input).returning());
    return row as DriverRegistration;
  }

  /** Inserts or refreshes a registration (built-in drivers re-register at every start). */
  async upsert(input: NewDriverRegistration): Promise<DriverRegistration> {
    const { protocol, ...rest } = input;
    const [row] = await withConstraintErrors(() =>
      this.db
        .insert(driverRegistry)
        .values(input)
        .onConflictDoUpdate({ target: driverRegistry.protocol, set: { ...rest, loadedAt: new Date() } })
        .returning(),
    );
    if (!row) throw new RecordNotFoundError('driver', protocol);
    return row;
  }

  async setStatus(protocol: ProtocolKind, status: DriverStatus, errorMessage: string | null = null): Promise<void> {
    const updated = await withConstraintErrors(() =>
      this.db
        .update(driverRegistry)
        .set({ status, errorMessage })
        .where(eq(driverRegistry.protocol, protocol))
        .returning({ protocol: driverRegistry.protocol }),
    );
    if (updated.length === 0) throw new RecordNotFoundError('driver', protocol);
  }

  async unregister(protocol: ProtocolKind): Promise<void> {
    const deleted = await withConstraintErrors(() =>
      this.db
        .delete(driverRegistry)
        .where(eq(driverRegistry.protocol, protocol))
        .returning({ protocol: driverRegistry.protocol }),
    );
    if (deleted.length === 0) throw new RecordNotFoundError('driver', protocol);
  }
}
