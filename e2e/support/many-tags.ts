// A tag file with `count` tags on one device, for the tag browser's spec and benchmark. The
// device is disabled so that no driver polls its made-up addresses.
import type { Workstation } from './workstation.ts';

export async function importManyTags(ws: Workstation, deviceName: string, count: number): Promise<void> {
  await ws.admin.devices.create.mutate({
    name: deviceName,
    protocol: 'ModbusTcp',
    endpoint: '127.0.0.1:1',
    enabled: false,
  });
  const lines = ['device,name,address,dataType,unit'];
  for (let i = 0; i < count; i++)
    lines.push(`${deviceName},sensor_${String(i).padStart(5, '0')},${40001 + i},UInt16,kPa`);
  const report = await ws.admin.tags.import.mutate({ format: 'csv', content: lines.join('\n') });
  if (!report.applied) throw new Error(`The tag import failed: ${JSON.stringify(report.problems.slice(0, 3))}`);
}
