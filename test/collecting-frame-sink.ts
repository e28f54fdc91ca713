// A FrameSink that keeps everything it is given, for tests: what the frame bus would receive.
import type { CommandAckFrame, DataFrame, EventFrame } from '../proto/generated/frame.ts';
import type { FrameSink } from '../main/drivers/frame-sink.ts';

export class CollectingFrameSink implements FrameSink {
  readonly data: DataFrame[] = [];
  readonly events: EventFrame[] = [];
  readonly acks: CommandAckFrame[] = [];
  /** sizes of the publishData calls, to check batching */
  readonly batches: number[] = [];

  publishData(frames: DataFrame[]): void {
    this.batches.push(frames.length);
    this.data.push(...frames);
  }

  publishEvent(event: EventFrame): void {
    this.events.push(event);
  }

  publishCommandAck(ack: CommandAckFrame): void {
    this.acks.push(ack);
  }

  /** Data frames of one tag, oldest first. */
  framesOf(tagId: string): DataFrame[] {
    return this.data.filter((frame) => frame.tagId === tagId);
  }

  latest(tagId: string): DataFrame | undefined {
    return this.framesOf(tagId).at(-1);
  }

  /** Resolves when `check` holds, polling every 10 ms; rejects with `what` after timeoutMs. */
  async until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
