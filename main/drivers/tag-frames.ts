// Turns a device's readings into the DataFrames worth publishing: good values through the
// engineering transform and the tag's deadband, bad values only when the quality, reason or code
// changes (a dead device does not flood the bus with the same "timeout" every scan).
import type { Tag } from '../db/repositories/tags-repository.ts';
import { Quality, QualityReason, type DataFrame } from '../../proto/generated/frame.ts';
import { passesDeadband, toEngineering, type EngineeringValue } from '../tags/engineering-value.ts';
import type { DriverValue, TagReading } from './driver-contract.ts';

/** A tag and what was last published for it: one record, one lookup per reading. */
interface TagState {
  /** undefined for a tag id the device reported that is not among its tags */
  tag: Tag | undefined;
  /** false until a frame of the tag was published */
  published: boolean;
  good: EngineeringValue | undefined;
  quality: Quality;
  reason: QualityReason;
  errorCode: number;
  message: string;
}

export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

export class TagFrames {
  private readonly states = new Map<string, TagState>();

  constructor(
    private readonly deviceId: string,
    tags: ReadonlyMap<string, Tag>,
  ) {
    for (const [id, tag] of tags) {
      this.states.set(id, {
        tag,
        published: false,
        good: undefined,
        quality: Quality.QUALITY_GOOD,
        reason: QualityReason.QUALITY_REASON_NONE,
        errorCode: 0,
        message: '',
      });
    }
  }

  /** The frames to publish for these readings; remembers what was published. */
  build(readings: readonly TagReading[], fallbackTimestampNs = nowNs()): DataFrame[] {
    const frames: DataFrame[] = [];
    for (const reading of readings) {
      const frame = reading.ok
        ? this.good(reading.tagId, reading.raw, reading.sourceTimestampNs ?? fallbackTimestampNs, reading)
        : this.bad(
            reading.tagId,
            reading.quality,
            reading.reason,
            reading.errorCode,
            reading.message,
            fallbackTimestampNs,
          );
      if (frame) frames.push(frame);
    }
    return frames;
  }

  /** Bad frames for every tag (the connection is gone, or the device cannot be configured). */
  allBad(reason: QualityReason, message: string, errorCode = 0): DataFrame[] {
    const timestamp = nowNs();
    const frames: DataFrame[] = [];
    for (const [tagId, state] of this.states) {
      if (!state.tag || state.tag.accessType === 'Write') continue;
      const frame = this.bad(tagId, Quality.QUALITY_BAD, reason, errorCode, message, timestamp);
      if (frame) frames.push(frame);
    }
    return frames;
  }

  /** Why a tag is not good, in words (empty when it is), for the status views. */
  problemOf(tagId: string): string | undefined {
    return this.states.get(tagId)?.message || undefined;
  }

  // One call per value the device sends (10,000s per second from an OPC UA or MQTT device): the
  // tag's state is looked up once and updated in place.
  private good(
    tagId: string,
    raw: DriverValue,
    timestampNs: bigint,
    device: { quality?: Quality; reason?: QualityReason; errorCode?: number },
  ): DataFrame | undefined {
    const state = this.states.get(tagId);
    if (!state?.tag) return undefined;
    const next = toEngineering(state.tag, raw);
    // The device's own doubt (OPC UA Uncertain) wins over a good value, never over a worse one.
    if (device.quality !== undefined && device.quality > next.quality) {
      next.quality = device.quality;
      next.reason = device.reason ?? QualityReason.QUALITY_REASON_DEVICE_FAILURE;
    }
    const errorCode = device.errorCode ?? 0;
    if (state.good && !passesDeadband(state.tag.deadband, state.good, next)) return undefined;
    state.published = true;
    state.good = next;
    state.quality = next.quality;
    state.reason = next.reason;
    state.errorCode = errorCode;
    state.message = '';
    return {
      tagId,
      deviceId: this.deviceId,
      value: next.value,
      rawValue: next.raw,
      sourceTimestamp: timestampNs,
      quality: next.quality,
      qualityReason: next.reason,
      errorCode,
    };
  }

  private bad(
    tagId: string,
    quality: Quality,
    reason: QualityReason,
    errorCode: number,
    message: string,
    timestampNs: bigint,
  ): DataFrame | undefined {
    let state = this.states.get(tagId);
    if (!state) {
      state = { tag: undefined, published: false, good: undefined, quality, reason, errorCode, message };
      this.states.set(tagId, state);
    }
    if (
      state.published &&
      !state.good &&
      state.quality === quality &&
      state.reason === reason &&
      state.errorCode === errorCode
    ) {
      return undefined;
    }
    state.published = true;
    state.good = undefined;
    state.quality = quality;
    state.reason = reason;
    state.errorCode = errorCode;
    state.message = message;
    return {
      tagId,
      deviceId: this.deviceId,
      value: undefined,
      rawValue: 0,
      sourceTimestamp: timestampNs,
      quality,
      qualityReason: reason,
      errorCode,
    };
  }
}
