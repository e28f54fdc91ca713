// A tag write's round trip over the frame bus: a CommandFrame goes out (the driver manager
// executes it on the device that owns the tag), and the write's result comes back as the
// CommandAckFrame with the same command id. One bus subscription serves every write.
import { randomUUID } from 'node:crypto';
import type { CommandAckFrame, Value } from '../../proto/generated/frame.ts';
import type { FrameBus } from '../bus/frame-bus.ts';
import type { Subscription } from '../bus/subscription.ts';

export interface TagWriteRequest {
  tagId: string;
  deviceId: string;
  value: Value;
  /** the username, for the frame (and so the WAL) */
  originUser: string;
  /** how long the driver may take for the write itself */
  timeoutMs: number;
}

export interface TagWriteOutcome {
  commandId: string;
  success: boolean;
  /** a sentence when success is false */
  error: string | null;
  /** the value read back after the write, when the driver could */
  actualValue: Value | undefined;
  /** no acknowledgement came back at all (no driver took the command) */
  timedOut: boolean;
  elapsedMs: number;
}

/** Time on top of the driver's own timeout for the command to reach it and its answer to come back. */
const DEFAULT_GRACE_MS = 2_000;

export class TagWriter {
  private readonly pending = new Map<string, (ack: CommandAckFrame) => void>();
  private readonly subscription: Subscription;

  constructor(
    private readonly bus: FrameBus,
    private readonly graceMs = DEFAULT_GRACE_MS,
  ) {
    this.subscription = bus.subscribe({ name: 'tag-writer', types: ['commandAck'] }, (frame) => {
      if (frame.type === 'commandAck') this.pending.get(frame.payload.commandId)?.(frame.payload);
    });
  }

  /** Publishes the write and waits for its acknowledgement (or the timeout). Throws if the bus refuses it. */
  async write(request: TagWriteRequest): Promise<TagWriteOutcome> {
    const commandId = randomUUID();
    const started = performance.now();
    const elapsedMs = () => Math.round((performance.now() - started) * 10) / 10;
    const acknowledged = new Promise<CommandAckFrame>((resolve) => this.pending.set(commandId, resolve));
    let timer: NodeJS.Timeout | undefined;
    try {
      this.bus.publish({ type: 'command', payload: { commandId, ...request } });
      const waitMs = request.timeoutMs + this.graceMs;
      const ack = await Promise.race([
        acknowledged,
        new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), waitMs))),
      ]);
      if (!ack) {
        return {
          commandId,
          success: false,
          error: `No driver answered the write within ${waitMs} ms (is the device's driver running?); it may still reach the device.`,
          actualValue: undefined,
          timedOut: true,
          elapsedMs: elapsedMs(),
        };
      }
      return {
        commandId,
        success: ack.success,
        error: ack.success ? null : ack.error || 'The driver refused the write without saying why.',
        actualValue: ack.actualValue,
        timedOut: false,
        elapsedMs: elapsedMs(),
      };
    } finally {
      clearTimeout(timer);
      this.pending.delete(commandId);
    }
  }

  close(): void {
    this.subscription.unsubscribe();
  }
}
