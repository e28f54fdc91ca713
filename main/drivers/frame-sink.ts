// Where drivers put what they learn. The frame bus (with its write-ahead log) implements this;
// the driver manager never knows more of it than these three calls. A returned promise means
// "accepted": the manager waits for it before the next publish of the same device, so a slow sink
// slows polling down instead of piling frames up in memory.
import type { CommandAckFrame, DataFrame, EventFrame } from '../../proto/generated/frame.ts';

export interface FrameSink {
  publishData(frames: DataFrame[]): void | Promise<void>;
  publishEvent(event: EventFrame): void | Promise<void>;
  publishCommandAck(ack: CommandAckFrame): void | Promise<void>;
}
