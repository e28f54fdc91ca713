// Devices to and from CSV or JSON files. A device is matched by its name, so a file exported
// from one gateway imports into another.
import type { Database } from '../db/database.ts';
import type { Device } from '../db/repositories/devices-repository.ts';
import { deviceFields } from '../records/device-record.ts';
import { importAllOrNothing, type ImportReport } from './all-or-nothing-import.ts';
import { readRecords, writeRecords, type Column, type TransferFormat } from './transfer-format.ts';

export const DEVICE_COLUMNS: readonly Column[] = [
  { key: 'name', kind: 'text' },
  { key: 'description', kind: 'text' },
  { key: 'protocol', kind: 'text' },
  { key: 'location', kind: 'text' },
  { key: 'endpoint', kind: 'text' },
  { key: 'config', kind: 'json' },
  { key: 'enabled', kind: 'boolean' },
];

// An empty cell means the column's default, also when an existing device is replaced.
const deviceRow = deviceFields.required({ config: true, enabled: true });
const DEFAULTS = { description: null, location: null, config: {}, enabled: true };

export function exportDevices(devices: Device[], format: TransferFormat): string {
  return writeRecords(format, DEVICE_COLUMNS, devices);
}

export async function importDevices(
  db: Database,
  format: TransferFormat,
  content: string,
  options: { replaceExisting: boolean; username: string },
): Promise<ImportReport> {
  const records = readRecords(format, content, DEVICE_COLUMNS).map((record) => ({
    ...record,
    values: { ...DEFAULTS, ...record.values },
  }));
  return importAllOrNothing(db, records, deviceRow, async (repos, device) => {
    const existing = options.replaceExisting ? await repos.devices.getByName(device.name) : undefined;
    if (existing) {
      await repos.devices.update(existing.id, { ...device, updatedBy: options.username });
      return 'updated';
    }
    await repos.devices.create({ ...device, createdBy: options.username, updatedBy: options.username });
    return 'created';
  });
}
