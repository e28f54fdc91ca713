import { asc, eq, sql } from 'drizzle-orm';
import { devices } from '../../../drizzle/schema/devices.ts';
import type { DeviceStatus } from '../../../common/enums.ts';
import { deviceOverview } from '../../../drizzle/schema/views.ts';
import type { Database } from '../database.ts';
import { RecordNotFoundError, withConstraintErrors } from '../database-errors.ts';

export type Device = typeof devices.$inferSelect;
export type NewDevice = typeof devices.$inferInsert;
export type DevicePatch = Partial<Omit<NewDevice, 'id' | 'createdAt' | 'updatedAt'>>;
export type DeviceOverviewRow = typeof deviceOverview.$inferSelect;

export class DevicesRepository {
  constructor(private readonly db: Database) {}

  list(): Promise<Device[]> {
    return this.db.select().from(devices).orderBy(asc(devices.name));
  }

  async get(id: string): Promise<Device | undefined> {
    const [row] = await withConstraintErrors(() => this.db.select().from(devices).where(eq(devices.id, id)));
    return row;
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
