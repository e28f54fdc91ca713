// The gateway's own health into system_metrics every 10 s (the seed's §2.2 fields), so the
// historian trends it like any tag: process CPU, memory and event-loop lag p99; bus and WAL
// throughput and commit latency; each durable consumer's throughput and lag; each device's
// failed scans. A metric write that fails is dropped (the next one comes in 10 s).
import os from 'node:os';
import type { FrameBus } from '../bus/frame-bus.ts';
import type { DriverManager } from '../drivers/driver-manager.ts';
import { EventLoopMonitor } from '../metrics/event-loop-monitor.ts';
import type { FrameWal } from '../wal/frame-wal.ts';
import type { SystemMetricPoint } from './historian-points.ts';

export interface SystemMetricsSources {
  bus: FrameBus;
  wal: FrameWal;
  drivers?: DriverManager;
}

export class SystemMetricsRecorder {
  private timer: NodeJS.Timeout | undefined;
  // its own window on the event loop: system.metrics reads (and resets) another one
  private loop: EventLoopMonitor | undefined;
  private lastCpu = process.cpuUsage();
  private lastAt = performance.now();
  private lastRefused = 0;
  private lastWriteFailures = 0;
  private writing: Promise<void> | undefined;
  private readonly host = os.hostname();

  constructor(
    private readonly sources: SystemMetricsSources,
    private readonly write: (points: SystemMetricPoint[]) => Promise<void>,
    private readonly intervalMs = 10_000,
  ) {}

  start(): void {
    if (this.intervalMs <= 0) return;
    this.loop = new EventLoopMonitor();
    this.timer = setInterval(() => void this.record(), this.intervalMs);
    this.timer.unref();
  }

  /** Takes one set of measurements now and writes it. */
  record(): Promise<void> {
    const points = this.measure();
    this.writing = this.write(points).catch((error: Error) => {
      console.warn(`[historian] system metrics not written: ${error.message}`);
    });
    return this.writing;
  }

  measure(): SystemMetricPoint[] {
    const timeNs = BigInt(Date.now()) * 1_000_000n;
    const now = performance.now();
    const seconds = Math.max(0.001, (now - this.lastAt) / 1000);
    const cpu = process.cpuUsage(this.lastCpu);
    this.lastCpu = process.cpuUsage();
    this.lastAt = now;
    const point = (component: string, instance: string, metricType: string, fields: SystemMetricPoint['fields']) => ({
      component,
      instance,
      host: this.host,
      metricType,
      timeNs,
      fields,
    });
    const bus = this.sources.bus.metrics();
    const wal = this.sources.wal.metrics();
    const points: SystemMetricPoint[] = [
      point('gateway', 'main', 'performance', {
        cpu_usage: ((cpu.user + cpu.system) / 1e6 / seconds) * 100,
        memory_usage: process.memoryUsage().rss,
        latency_p99: this.loop?.read().lagP99Ms ?? 0,
      }),
      point('frame_bus', 'primary', 'performance', {
        throughput: bus.framesInPerSecond,
        error_rate: (bus.refusedFrames - this.lastRefused) / seconds,
      }),
      point('wal', 'primary', 'performance', {
        throughput: wal.framesCommittedPerSecond,
        latency_p99: wal.commitLatencyP99Ms,
        error_rate: (wal.writeFailures - this.lastWriteFailures) / seconds,
      }),
      ...wal.consumers.map((consumer) =>
        // a consumer's latency is its lag: the age of the oldest frame it has not confirmed
        point('wal_consumer', consumer.name, 'lag', {
          throughput: consumer.framesPerSecond,
          latency_p99: consumer.lagSeconds * 1000,
          error_rate: consumer.failing ? 1 : 0,
        }),
      ),
      ...(this.sources.drivers?.devices() ?? []).map((device) =>
        point('driver', device.name, 'scan', { error_rate: device.failures }),
      ),
    ];
    this.lastRefused = bus.refusedFrames;
    this.lastWriteFailures = wal.writeFailures;
    return points;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.loop?.close();
    await this.writing;
  }
}
