// Tags to and from CSV or JSON files. A tag names its device by the device's name (not its id),
// so a file exported from one gateway imports into another; a tag is matched by device and name.
import { name } from '../api/api-schemas.ts';
import type { Database } from '../db/database.ts';
import type { Tag } from '../db/repositories/tags-repository.ts';
import { checkTagRange, tagFields } from '../records/tag-record.ts';
import { importAllOrNothing, RowRefusedError, type ImportReport } from './all-or-nothing-import.ts';
import { readRecords, writeRecords, type Column, type TransferFormat } from './transfer-format.ts';

export const TAG_COLUMNS: readonly Column[] = [
  { key: 'device', kind: 'text' },
  { key: 'name', kind: 'text' },
  { key: 'description', kind: 'text' },
  { key: 'address', kind: 'text' },
  { key: 'dataType', kind: 'text' },
  { key: 'accessType', kind: 'text' },
  { key: 'unit', kind: 'text' },
  { key: 'scaling', kind: 'number' },
  { key: 'tagOffset', kind: 'number' },
  { key: 'minValue', kind: 'number' },
  { key: 'maxValue', kind: 'number' },
  { key: 'deadband', kind: 'number' },
  { key: 'scanRate', kind: 'number' },
  { key: 'enabled', kind: 'boolean' },
];

const tagRow = tagFields
  .omit({ deviceId: true })
  .required({ accessType: true, scaling: true, tagOffset: true, enabled: true })
  .extend({ device: name(255) })
  .superRefine(checkTagRange);

// An empty cell means the column's default, also when an existing tag is replaced.
const DEFAULTS = {
  description: null,
  accessType: 'Read',
  unit: null,
  scaling: 1,
  tagOffset: 0,
  minValue: null,
  maxValue: null,
  deadband: null,
  scanRate: null,
  enabled: true,
};

export function exportTags(tags: Tag[], deviceNames: Map<string, string>, format: TransferFormat): string {
  return writeRecords(
    format,
    TAG_COLUMNS,
    tags.map((tag) => ({ ...tag, device: deviceNames.get(tag.deviceId) ?? tag.deviceId })),
  );
}

export async function importTags(
  db: Database,
  format: TransferFormat,
  content: string,
  options: { replaceExisting: boolean },
): Promise<ImportReport> {
  const records = readRecords(format, content, TAG_COLUMNS).map((record) => ({
    ...record,
    values: { ...DEFAULTS, ...record.values },
  }));
  const deviceIds = new Map<string, string>();
  return importAllOrNothing(db, records, tagRow, async (repos, row) => {
    const { device, ...fields } = row;
    let deviceId = deviceIds.get(device);
    if (!deviceId) {
      deviceId = (await repos.devices.getByName(device))?.id;
      if (!deviceId) throw new RowRefusedError('device', `there is no device named '${device}'`);
      deviceIds.set(device, deviceId);
    }
    const existing = options.replaceExisting ? await repos.tags.getByName(deviceId, fields.name) : undefined;
    if (existing) {
      await repos.tags.update(existing.id, { ...fields, deviceId });
      return 'updated';
    }
    await repos.tags.create({ ...fields, deviceId });
    return 'created';
  });
}
