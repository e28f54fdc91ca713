// Which frames a subscription wants: by frame type, and by tag or device. A frame passes when its
// type is listed (or no types are given) and, if tags or devices are given, when its tag is one of
// the tags or its device one of the devices.
import { type Frame, type FrameTypeName, FRAME_TYPE_NAMES, frameDeviceId, frameTagId } from '../frames/frame.ts';

export interface FrameFilter {
  types?: readonly FrameTypeName[];
  tagIds?: Iterable<string>;
  deviceIds?: Iterable<string>;
}

export interface CompiledFilter {
  types: readonly FrameTypeName[];
  matches(frame: Frame): boolean;
}

export function compileFilter(filter: FrameFilter): CompiledFilter {
  const types = filter.types && filter.types.length > 0 ? [...new Set(filter.types)] : FRAME_TYPE_NAMES;
  for (const type of types) {
    if (!FRAME_TYPE_NAMES.includes(type)) {
      throw new Error(`Unknown frame type "${type}" in subscription filter (expected ${FRAME_TYPE_NAMES.join(', ')})`);
    }
  }
  const tagIds = filter.tagIds ? new Set(filter.tagIds) : undefined;
  const deviceIds = filter.deviceIds ? new Set(filter.deviceIds) : undefined;
  if (!tagIds && !deviceIds) return { types, matches: () => true };
  return {
    types,
    matches(frame) {
      if (tagIds) {
        const tagId = frameTagId(frame);
        if (tagId !== undefined && tagIds.has(tagId)) return true;
      }
      if (deviceIds) {
        const deviceId = frameDeviceId(frame);
        if (deviceId !== undefined && deviceIds.has(deviceId)) return true;
      }
      return false;
    },
  };
}
