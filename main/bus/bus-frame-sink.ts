// The bus as the drivers' FrameSink (main/drivers/frame-sink.ts on main): three calls, each
// publishing and, while the bus is congested, returning drain() so that the driver manager
// waits before the device's next publish. Typed structurally so it does not depend on drivers/.
import type { CommandAckFrame, DataFrame, EventFrame } from '../../proto/generated/frame.ts';
import type { FrameBus } from './frame-bus.ts';

export interface BusFrameSink {
  publishData(frames: DataFrame[]): void | Promise<void>;
  publishEvent(event: EventFrame): void | Promise<void>;
  publishCommandAck(ack: CommandAckFrame): void | Promise<void>;
}

export function busFrameSink(bus: FrameBus): BusFrameSink {
  const room = (): void | Promise<void> => (bus.congested ? bus.drain() : undefined);
  return {
    publishData(frames) {
      for (const payload of frames) bus.publish({ type: 'data', payload });
      return room();
    },
    publishEvent(payload) {
      bus.publish({ type: 'event', payload });
      return room();
    },
    publishCommandAck(payload) {
      bus.publish({ type: 'commandAck', payload });
      return room();
    },
  };
}
