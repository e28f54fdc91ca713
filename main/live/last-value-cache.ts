// The latest value of every tag, kept from the frame bus, so that a live view opens with the
// current values at once instead of waiting for each tag's next change (a tag behind a deadband
// may not change for hours).
import type { FrameBus } from '../bus/frame-bus.ts';
import type { Subscription } from '../bus/subscription.ts';
import type { Frame } from '../frames/frame.ts';
import { tagValueView, type TagValueView } from './frame-views.ts';

type DataFrameOnBus = Extract<Frame, { type: 'data' }>;

export interface LastValueFilter {
  tagIds?: ReadonlySet<string> | undefined;
  deviceIds?: ReadonlySet<string> | undefined;
}

export class LastValueCache {
  private readonly latest = new Map<string, DataFrameOnBus>();
  private readonly subscription: Subscription;

  constructor(bus: FrameBus) {
    // A plain map update per frame: cheap enough to keep up with any producer, so its queue
    // never slows the bus down.
    this.subscription = bus.subscribe({ name: 'last-value-cache', types: ['data'], queueLimit: 100_000 }, (frame) => {
      if (frame.type === 'data') this.latest.set(frame.payload.tagId, frame);
    });
  }

  /** Resolves once every data frame published so far is in the cache. */
  async settled(): Promise<void> {
    while (this.subscription.queued > 0) await new Promise((resolve) => setImmediate(resolve));
  }

  get(tagId: string): TagValueView | undefined {
    const frame = this.latest.get(tagId);
    return frame && tagValueView(frame.payload, frame.sequenceId);
  }

  /** The latest value of every tag that passes the filter (its tag or its device is listed). */
  snapshot(filter: LastValueFilter): TagValueView[] {
    const views: TagValueView[] = [];
    const add = (frame: DataFrameOnBus | undefined): void => {
      if (frame) views.push(tagValueView(frame.payload, frame.sequenceId));
    };
    if (!filter.deviceIds?.size) {
      for (const tagId of filter.tagIds ?? []) add(this.latest.get(tagId));
      return views;
    }
    for (const frame of this.latest.values()) {
      if (filter.deviceIds.has(frame.payload.deviceId) || filter.tagIds?.has(frame.payload.tagId)) add(frame);
    }
    return views;
  }

  get size(): number {
    return this.latest.size;
  }

  close(): void {
    this.subscription.unsubscribe();
  }
}
