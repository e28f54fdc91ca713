// The historian: a durable consumer of the WAL that stores every DataFrame (device_data) and
// alert EventFrame (alert_events) in its backend. Store-and-forward comes from the WAL: the
// checkpoint advances only after the backend confirmed a batch, so when InfluxDB is down the
// frames wait in the WAL (the backlog below) and drain by themselves when it is back; a replay
// after a crash rewrites the same series and times, which overwrite themselves.
import type { FrameBus } from '../bus/frame-bus.ts';
import { encodeFrameView } from '../frames/frame-codec.ts';
import type { Frame } from '../frames/frame.ts';
import type { DurableConsumer } from '../wal/durable-consumer.ts';
import type { FrameWal } from '../wal/frame-wal.ts';
import { alertEventPoint, devicePoint } from './frame-points.ts';
import type { HistorianBackend, HistorianKind, LabelledPoint, RejectedWrite } from './historian-backend.ts';
import type { AlertEventPoint, SystemMetricPoint } from './historian-points.ts';
import { LiveTail } from './live-tail.ts';
import type { TagCatalog } from './tag-catalog.ts';
import { TrendService } from './trend-service.ts';

export interface HistorianOptions {
  backend: HistorianBackend;
  catalog: TagCatalog;
  wal: FrameWal;
  bus: FrameBus;
  /** the durable consumer's name (its checkpoint's key) */
  consumerName?: string;
  /** frames per backend write (default 20,000: four InfluxDB requests of 5,000 lines) */
  batchSize?: number;
  /**
   * backend writes in progress at once (default 3): the next batches are read from the WAL and
   * encoded while the backend stores the earlier ones; the checkpoint still waits for each, in
   * order (with 2 the WAL read waited on InfluxDB between batches: 74k vs 92k points/s drained)
   */
  maxInFlight?: number;
  /** longest wait between retries while the backend is down (default 5 s) */
  retryMaxMs?: number;
  /** how far back trends show samples not stored yet (default 10 min; 0: off) */
  liveTailMs?: number;
  log?: (message: string) => void;
}

export interface HistorianBacklog {
  /** frames in the WAL the backend has not confirmed */
  frames: number;
  /** their approximate size */
  bytes: number;
  /** age of the oldest of them */
  ageSeconds: number;
  /** at the current rates; null while nothing drains */
  estimatedDrainSeconds: number | null;
}

export interface HistorianStatus {
  kind: HistorianKind;
  target: string;
  backlog: HistorianBacklog;
  pointsPerSecond: number;
  pointsWritten: number;
  /** the backend refuses writes right now (they are retried) */
  failing: boolean;
  lastError: string | null;
  /** samples the backend refused for good (logged and skipped) */
  rejected: number;
  lastRejected: RejectedWrite | null;
}

export class Historian {
  readonly trends: TrendService;
  private consumer: DurableConsumer | undefined;
  private readonly tail: LiveTail | undefined;
  private readonly newest = new Map<string, number>();
  private written = 0;
  private rejected = 0;
  private lastRejected: RejectedWrite | null = null;
  private frameBytes = 100;
  private sampled = 0;
  /** Batches take their labels one after another, so that they reach the backend in WAL order. */
  private inOrder: Promise<unknown> = Promise.resolve();
  private readonly log: (message: string) => void;

  private constructor(private readonly options: HistorianOptions) {
    this.log = options.log ?? ((message) => console.warn(`[historian] ${message}`));
    const tailMs = options.liveTailMs ?? 600_000;
    this.tail = tailMs > 0 ? new LiveTail(options.bus, tailMs) : undefined;
    this.trends = new TrendService(options.backend, options.catalog, this.tail, (tagId) => this.newest.get(tagId));
  }

  static async start(options: HistorianOptions): Promise<Historian> {
    const historian = new Historian(options);
    // A backend that is down now is not an error: the consumer retries, the WAL holds the data.
    await options.backend.prepare().catch((error: Error) => historian.log(`not ready yet: ${error.message}`));
    historian.consumer = await options.wal.consume(
      options.consumerName ?? 'historian',
      (frames) => historian.store(frames),
      {
        types: ['data', 'event'],
        batchSize: options.batchSize ?? 20_000,
        maxInFlight: options.maxInFlight ?? 3,
        retryMinMs: 100,
        retryMaxMs: options.retryMaxMs ?? 5_000,
      },
    );
    return historian;
  }

  get backend(): HistorianBackend {
    return this.options.backend;
  }

  /**
   * The durable consumer's sink: resolves only once the backend has the batch. Several batches
   * may be in flight; they reach the backend in the order the WAL gave them.
   */
  private async store(frames: Frame[]): Promise<void> {
    const points: LabelledPoint[] = [];
    const alerts: AlertEventPoint[] = [];
    /** per tag in this batch: its device, and its newest sample */
    const batchTags = new Map<string, { deviceId: string; newestNs: bigint }>();
    for (const frame of frames) {
      if (frame.type === 'data') {
        const point = devicePoint(frame);
        if (!point) continue;
        points.push(point as LabelledPoint);
        const tag = batchTags.get(point.tagId);
        if (!tag) batchTags.set(point.tagId, { deviceId: point.deviceId, newestNs: point.timeNs });
        else if (point.timeNs > tag.newestNs) tag.newestNs = point.timeNs;
      } else if (frame.type === 'event') {
        const alert = alertEventPoint(frame);
        if (alert) alerts.push(alert);
      }
    }
    if (frames.length > 0 && this.sampled++ % 16 === 0) {
      this.frameBytes = encodeFrameView(frames[frames.length >> 1]!).length;
    }
    const labelled = this.inOrder.then(() =>
      this.options.catalog.labels(batchTags.keys(), (tagId) => batchTags.get(tagId)?.deviceId ?? ''),
    );
    this.inOrder = labelled.catch(() => undefined);
    const labels = await labelled;
    for (const point of points) point.labels = labels.get(point.tagId)!;
    const reports = [await this.options.backend.writeDevicePoints(points)];
    if (alerts.length > 0) reports.push(await this.options.backend.writeAlertEvents(alerts));
    for (const report of reports) {
      this.written += report.written;
      for (const refusal of report.rejected) {
        this.rejected++;
        this.lastRejected = refusal;
        this.log(`skipped ${refusal.what}: ${refusal.reason}`);
      }
    }
    for (const [tagId, tag] of batchTags) {
      const ms = Number(tag.newestNs / 1_000_000n);
      if (ms > (this.newest.get(tagId) ?? -Infinity)) this.newest.set(tagId, ms);
    }
  }

  /** Writes system_metrics points straight to the backend (they are not frames). */
  async writeSystemMetrics(points: SystemMetricPoint[]): Promise<void> {
    const report = await this.options.backend.writeSystemMetrics(points);
    for (const refusal of report.rejected) this.log(`skipped system metric ${refusal.what}: ${refusal.reason}`);
  }

  status(): HistorianStatus {
    const metrics = this.consumer?.metrics();
    const frames = metrics?.lagFrames ?? 0;
    const drainRate = (metrics?.framesPerSecond ?? 0) - this.options.wal.metrics().framesInPerSecond;
    return {
      kind: this.options.backend.kind,
      target: this.options.backend.target,
      backlog: {
        frames,
        bytes: Math.round(frames * this.frameBytes),
        ageSeconds: Math.round((metrics?.lagSeconds ?? 0) * 10) / 10,
        estimatedDrainSeconds: frames === 0 ? 0 : drainRate > 0 ? Math.ceil(frames / drainRate) : null,
      },
      pointsPerSecond: metrics?.framesPerSecond ?? 0,
      pointsWritten: this.written,
      failing: metrics?.failing ?? false,
      lastError: metrics?.lastError ?? null,
      rejected: this.rejected,
      lastRejected: this.lastRejected,
    };
  }

  /** Stops consuming (what is not confirmed stays in the WAL for the next start). */
  async stop(): Promise<void> {
    this.tail?.stop();
    await this.consumer?.stop();
    await this.options.backend.close();
  }
}
