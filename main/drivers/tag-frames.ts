// Turns a device's readings into the DataFrames worth publishing: good values through the
// engineering transform and the tag's deadband, bad values only when the quality, reason or code
// changes (a dead device does not flood the bus with the same "timeout" every scan).
import type { Tag } from '../db/repositories/tags-repository.ts';
import { Quality, QualityReason, type DataFrame } from '../../proto/generated/frame.ts';
import { passesDeadband, toEngineering, type EngineeringValue } from '../tags/engineering-value.ts';
import type { DriverValue, TagReading } from './driver-contract.ts';

interface Published {
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
  private readonly published = new Map<string, Published>();

  constructor(
    private readonly deviceId: string,
    private readonly tags: ReadonlyMap<string, Tag>,
  ) {}

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
    for (const tag of this.tags.values()) {
      if (tag.accessType === 'Write') continue;
      const frame = this.bad(tag.id, Quality.QUALITY_BAD, reason, errorCode, message, timestamp);
      if (frame) frames.push(frame);
    }
    return frames;
  }

  /** Why a tag is not good, in words (empty when it is), for the status views. */
  problemOf(tagId: string): string | undefined {
    return this.published.get(tagId)?.message || undefined;
  }

  private good(
    tagId: string,
    raw: DriverValue,
    timestampNs: bigint,
    device: { quality?: Quality; reason?: QualityReason; errorCode?: number } = {},
  ): DataFrame | undefined {
    const tag = this.tags.get(tagId);
    if (!tag) return undefined;
    const next = toEngineering(tag, raw);
    // The device's own doubt (OPC UA Uncertain) wins over a good value, never over a worse one.
    if (device.quality !== undefined && device.quality > next.quality) {
      next.quality = device.quality;
      next.reason = device.reason ?? QualityReason.QUALITY_REASON_DEVICE_FAILURE;
    }
    const errorCode = device.errorCode ?? 0;
    const previous = this.published.get(tagId);
    if (previous?.good && !passesDeadband(tag.deadband, previous.good, next)) return undefined;
    this.published.set(tagId, { good: next, quality: next.quality, reason: next.reason, errorCode, message: '' });
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
    const previous = this.published.get(tagId);
    if (
      previous &&
      !previous.good &&
      previous.quality === quality &&
      previous.reason === reason &&
      previous.errorCode === errorCode
    ) {
      return undefined;
    }
    this.published.set(tagId, { good: undefined, quality, reason, errorCode, message });
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
