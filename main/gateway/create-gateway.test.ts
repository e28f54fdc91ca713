// The composition root wires the frame bus and the WAL into the gateway: frames published through
// gateway.bus are in the WAL under the data folder, and survive a stop and a new start.
import { inject } from 'vitest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../test/database-backends.ts';
import { dataBody, tempDir } from '../../test/frame-fixtures.ts';
import { parseGatewayConfig } from '../config/gateway-config.ts';
import { createGateway, type Gateway } from './create-gateway.ts';

let folder: Awaited<ReturnType<typeof tempDir>>;
let databaseUrl: string | undefined;
const gateways: Gateway[] = [];

beforeEach(async () => {
  folder = await tempDir('gw-gateway-');
  // the shared PostgreSQL server when there is one (a fresh PGlite cluster takes seconds)
  const postgresUrl = inject('postgresUrl');
  databaseUrl = postgresUrl ? await createPostgresDatabase(postgresUrl) : undefined;
});
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.stop()));
  await folder.remove();
});

async function start(config: Record<string, unknown> = {}): Promise<Gateway> {
  const gateway = await createGateway({ dataDir: folder.dir, databaseUrl, ...config });
  gateways.push(gateway);
  return gateway;
}

describe('gateway frame pipeline', () => {
  it('keeps published frames in the WAL under the data folder across a restart', async () => {
    const first = await start();
    expect(first.wal.location).toBe(first.folders.wal);
    expect(first.wal.durability).toBe('sync');
    const frame = first.bus.publish(dataBody('tag-1', 42));
    await first.bus.whenDurable(frame.sequenceId);
    await first.stop();
    await first.stop(); // twice is fine

    const second = await start();
    // the drivers' start and stop events are in the WAL too
    expect((await second.wal.read(0)).frames.filter((f) => f.type === 'data')).toEqual([frame]);
    const last = second.wal.lastSequenceId;
    expect(last).toBeGreaterThan(frame.sequenceId);
    expect(second.bus.publish(dataBody('tag-1', 43)).sequenceId).toBe(last + 1);
    expect(second.wal.metrics()).toMatchObject({ maxSizeBytes: 1024 * 1024 * 1024, durability: 'sync' });
  });

  it('takes WAL settings from the configuration', async () => {
    const gateway = await start({ wal: { durability: 'async', maxSizeMb: 64 } });
    expect(gateway.wal.metrics()).toMatchObject({ durability: 'async', maxSizeBytes: 64 * 1024 * 1024 });
  });

  it('refuses a second gateway on the same data folder with a clear reason', async () => {
    await start();
    await expect(start()).rejects.toThrow(/another Gateway Workstation.*is using (this|the) data folder/i);
  });
});

describe('WAL configuration', () => {
  it('defaults to the seed: sync, 24 h, 1 GB', () => {
    expect(parseGatewayConfig({ dataDir: '/x' }).wal).toEqual({
      durability: 'sync',
      retentionHours: 24,
      maxSizeMb: 1024,
      groupCommitMs: 2,
    });
  });

  it('names the bad field', () => {
    expect(() => parseGatewayConfig({ dataDir: '/x', wal: { durability: 'never' } })).toThrow(/wal\.durability/);
    expect(() => parseGatewayConfig({ dataDir: '/x', wal: { maxSizeMb: 1 } })).toThrow(
      /wal\.maxSizeMb: wal\.maxSizeMb must be at least 16/,
    );
  });
});
