// The in-memory frame: what the bus hands to subscribers and the WAL hands to durable consumers.
// A discriminated union over the frame type, with the payload already decoded, so a subscriber
// narrows with `switch (frame.type)` and never touches protobuf bytes.
import {
  type CommandAckFrame,
  type CommandFrame,
  type DataFrame,
  type EventFrame,
  FrameType,
  type HeartbeatFrame,
} from '../../proto/generated/frame.ts';

/** What a producer publishes: the frame type and its payload. The bus adds sequence and time. */
export type FrameBody =
  | { type: 'data'; payload: DataFrame }
  | { type: 'command'; payload: CommandFrame }
  | { type: 'commandAck'; payload: CommandAckFrame }
  | { type: 'event'; payload: EventFrame }
  | { type: 'heartbeat'; payload: HeartbeatFrame };

export type FrameTypeName = FrameBody['type'];

export type Frame = FrameBody & {
  /** Assigned by the bus: strictly increasing, never reused, also across restarts. */
  sequenceId: number;
  /** Nanoseconds since the Unix epoch, when the bus accepted the frame. */
  timestamp: bigint;
};

export const FRAME_TYPE_NAMES: readonly FrameTypeName[] = ['data', 'command', 'commandAck', 'event', 'heartbeat'];

const wireTypes: Record<FrameTypeName, FrameType> = {
  data: FrameType.FRAME_TYPE_DATA,
  command: FrameType.FRAME_TYPE_COMMAND,
  commandAck: FrameType.FRAME_TYPE_COMMAND_ACK,
  event: FrameType.FRAME_TYPE_EVENT,
  heartbeat: FrameType.FRAME_TYPE_HEARTBEAT,
};

const namesByWireType = new Map<FrameType, FrameTypeName>(
  FRAME_TYPE_NAMES.map((name) => [wireTypes[name], name] as const),
);

export function wireFrameType(type: FrameTypeName): FrameType {
  return wireTypes[type];
}

/** The frame type name for a wire value, or undefined for UNSPECIFIED and unknown values. */
export function frameTypeName(wireType: FrameType): FrameTypeName | undefined {
  return namesByWireType.get(wireType);
}

/** The tag a frame is about, for subscription filters and coalescing; undefined when none. */
export function frameTagId(frame: FrameBody): string | undefined {
  switch (frame.type) {
    case 'data':
    case 'command':
    case 'commandAck':
      return frame.payload.tagId || undefined;
    case 'event': {
      const detail = frame.payload.detail;
      return detail?.$case === 'alert' ? detail.value.tagId || undefined : undefined;
    }
    case 'heartbeat':
      return undefined;
  }
}

/** The device a frame is about; undefined when none. */
export function frameDeviceId(frame: FrameBody): string | undefined {
  switch (frame.type) {
    case 'data':
    case 'command':
      return frame.payload.deviceId || undefined;
    case 'event': {
      const detail = frame.payload.detail;
      if (detail?.$case === 'deviceStatus' || detail?.$case === 'alert') return detail.value.deviceId || undefined;
      return undefined;
    }
    case 'commandAck':
    case 'heartbeat':
      return undefined;
  }
}
