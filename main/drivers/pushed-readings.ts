// Readings of a push driver (OPC UA notifications, MQTT messages) are handed to the device runner
// once per event-loop turn, so a burst of a thousand notifications is one batch and one
// publish, not a thousand.
import type { ScanOutcome, TagReading } from './driver-contract.ts';

export class PushedReadings {
  private pending: TagReading[] = [];
  private scheduled = false;

  constructor(private readonly push: (outcome: ScanOutcome) => void) {}

  add(readings: readonly TagReading[]): void {
    for (const reading of readings) this.pending.push(reading);
    this.schedule();
  }

  /** One reading (an OPC UA notification): no array per call on the hot path. */
  addOne(reading: TagReading): void {
    this.pending.push(reading);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const batch = this.pending;
      this.pending = [];
      if (batch.length > 0) this.push({ readings: batch, answered: true });
    });
  }

  clear(): void {
    this.pending = [];
  }
}
