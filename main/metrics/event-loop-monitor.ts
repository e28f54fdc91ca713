// How late the main process's event loop runs timers (lag) and how busy it is, for the system
// screen: a delay of tens of milliseconds means the UI streams, the API and the drivers' scans
// all wait. Node's own histogram, measured continuously; each reading covers the time since the
// previous one.
import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';

export interface EventLoopMetrics {
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  /** share of the time the loop was busy, 0…1 */
  utilization: number;
  /** the window these figures cover */
  windowSeconds: number;
}

const ms = (ns: number): number => Math.round(ns / 1e4) / 100;

export class EventLoopMonitor {
  private readonly histogram: IntervalHistogram;
  private lastUtilization: EventLoopUtilization;
  private lastReadAt = performance.now();

  constructor(resolutionMs = 10) {
    this.histogram = monitorEventLoopDelay({ resolution: resolutionMs });
    this.histogram.enable();
    this.lastUtilization = performance.eventLoopUtilization();
  }

  read(): EventLoopMetrics {
    const now = performance.now();
    const utilization = performance.eventLoopUtilization(this.lastUtilization);
    const empty = this.histogram.count === 0;
    const metrics = {
      lagP50Ms: empty ? 0 : ms(this.histogram.percentile(50)),
      lagP99Ms: empty ? 0 : ms(this.histogram.percentile(99)),
      lagMaxMs: empty ? 0 : ms(this.histogram.max),
      utilization: Math.round(utilization.utilization * 1000) / 1000,
      windowSeconds: Math.round(now - this.lastReadAt) / 1000,
    };
    this.histogram.reset();
    this.lastUtilization = performance.eventLoopUtilization();
    this.lastReadAt = now;
    return metrics;
  }

  close(): void {
    this.histogram.disable();
  }
}
