import { and, asc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { devices } from '../../../drizzle/schema/devices.ts';
import type { DeviceStatus, ProtocolKind } from '../../../common/enums.ts';
import { deviceOverview } from '../../../drizzle/schema/views.ts';
import type { Database } from '../database.ts';
import { containsPattern } from '../like-pattern.ts';
import { RecordNotFoundError, withConstraintErrors } from '../database-errors.ts';
import { readModelOf, type RecordReadModel } from '../record-read-model.ts';

export type Device = typeof devices.$inferSelect;
export type NewDevice = typeof devices.$inferInsert;
export type DevicePatch = Partial<Omit<NewDevice, 'id' | 'createdAt' | 'updatedAt'>>;
export type DeviceOverviewRow = typeof deviceOverview.$inferSelect;

export interface DeviceFilter {
  protocol?: ProtocolKind;
  status?: DeviceStatus;
  enabled?: boolean;
  /** matched case-insensitively against name, description, location and endpoint */
  search?: string;
}

export class DevicesRepository {
  /** devices by id in memory, on the embedded database outside a transaction (record-read-model.ts) */
  private readonly byId: RecordReadModel<Device> | undefined;

  constructor(private readonly db: Database) {
    this.byId = readModelOf<Device>(db, 'devices');
  }

  list(filter: DeviceFilter = {}): Promise<Device[]> {
    const conditions: SQL[] = [];
    if (filter.protocol) conditions.push(eq(devices.protocol, filter.protocol));
    if (filter.status) conditions.push(eq(devices.status, filter.status));
    if (filter.enabled !== undefined) conditions.push(eq(devices.enabled, filter.enabled));
    if (filter.search) {
      const pattern = containsPattern(filter.search);
      conditions.push(
        or(
          ilike(devices.name, pattern),
          ilike(devices.description, pattern),
          ilike(devices.location, pattern),
          ilike(devices.endpoint, pattern),
        ) as SQL,
      );
    }
    return this.db
      .select()
      .from(devices)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(asc(devices.name));
  }

  get(id: string): Promise<Device | undefined> {
    const load = async () => {
      const [row] = await withConstraintErrors(() => this.db.select().from(devices).where(eq(devices.id, id)));
      return row;
    };
    return this.byId ? this.byId.get(id, load) : load();
  }

  async getByName(name: string): Promise<Device | undefined> {
    const [row] = await this.db.select().from(devices).where(eq(devices.name, name));
    return row;
  }

  async create(input: NewDevice): Promise<Device> {
    const [row] = await withConstraintErrors(() => this.db.insert(devices).values(input).returning());
    return row as Device;
  }

  async update(id: string, patch: DevicePatch): Promise<Device> {
    const [row] = await withConstraintErrors(() =>
      this.db.update(devices).set(patch).where(eq(devices.id, id)).returning(),
    );
    if (!row) throw new RecordNotFoundError('device', id);
    return row;
  }

  /** Deletes the device with its tags and rules; its alert history is kept (see drizzle/schema/alerts.ts). */
  async delete(id: string): Promise<void> {
    const deleted = await withConstraintErrors(() =>
      this.db.delete(devices).where(eq(devices.id, id)).returning({ id: devices.id }),
    );
    if (deleted.length === 0) throw new RecordNotFoundError('device', id);
  }

  /**
   * The seed's update_device_status(): sets status and last_seen, raises for an unknown device.
   * A null lastSeen records a device that has never answered.
   */
  async setStatus(id: string, status: DeviceStatus, lastSeen: Date | null = new Date()): Promise<void> {
    try {
      await this.db.execute(sql`SELECT update_device_status(${id}::uuid, ${status}::device_status, ${lastSeen})`);
    } catch (error) {
      if (/not found/.test(String((error as { cause?: Error }).cause?.message ?? error))) {
        throw new RecordNotFoundError('device', id);
      }
      throw error;
    }
  }

  overview(): Promise<DeviceOverviewRow[]> {
    return this.db.select().from(deviceOverview).orderBy(asc(deviceOverview.name));
  }
}
