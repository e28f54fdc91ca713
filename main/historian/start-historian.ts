// Builds the historian the configuration asks for: InfluxDB 1.x or 2.x when configured, else the
// embedded series store in the data folder; tag labels come from the relational store.
import type { FrameBus } from '../bus/frame-bus.ts';
import type { HistorianConfig } from '../config/historian-config.ts';
import type { Repositories } from '../db/repositories/repositories.ts';
import type { FrameWal } from '../wal/frame-wal.ts';
import { openRocksDbStorage } from '../wal/rocksdb-storage.ts';
import { EmbeddedBackend } from './embedded-backend.ts';
import { openEmbeddedSeriesStore } from './embedded-series-store.ts';
import type { HistorianBackend } from './historian-backend.ts';
import { Historian } from './historian.ts';
import { InfluxV1Backend } from './influx-v1-backend.ts';
import { InfluxV2Backend } from './influx-v2-backend.ts';
import { TagCatalog, type TagLabels } from './tag-catalog.ts';

export interface StartHistorianOptions {
  config: HistorianConfig;
  /** the data folder's series/ folder */
  seriesFolder: string;
  repos: Repositories;
  wal: FrameWal;
  bus: FrameBus;
}

export async function createHistorianBackend(config: HistorianConfig, seriesFolder: string): Promise<HistorianBackend> {
  const influx = config.influxdb;
  if (influx?.version === 1) return new InfluxV1Backend(influx);
  if (influx?.version === 2) return new InfluxV2Backend(influx);
  const store = await openEmbeddedSeriesStore({
    storage: await openRocksDbStorage(seriesFolder, 'the embedded series store'),
    retentionDays: config.embedded.retentionDays,
    aggregateRetentionDays: config.embedded.aggregateRetentionDays,
  });
  return new EmbeddedBackend(store);
}

/** Labels of every tag, from two queries (the catalog caches them). */
export function tagLabelsFrom(repos: Repositories): () => Promise<TagLabels[]> {
  return async () => {
    const [tags, devices] = await Promise.all([repos.tags.list(), repos.devices.list()]);
    const byId = new Map(devices.map((device) => [device.id, device]));
    return tags.map((tag) => {
      const device = byId.get(tag.deviceId);
      return {
        tagId: tag.id,
        deviceId: tag.deviceId,
        deviceName: device?.name ?? '',
        tagName: tag.name,
        protocol: device?.protocol ?? '',
        location: device?.location ?? '',
        unit: tag.unit ?? '',
      };
    });
  };
}

export async function startHistorian(options: StartHistorianOptions): Promise<Historian> {
  const backend = await createHistorianBackend(options.config, options.seriesFolder);
  try {
    return await Historian.start({
      backend,
      catalog: new TagCatalog(tagLabelsFrom(options.repos)),
      wal: options.wal,
      bus: options.bus,
      liveTailMs: options.config.liveTailMinutes * 60_000,
    });
  } catch (error) {
    await backend.close();
    throw error;
  }
}
