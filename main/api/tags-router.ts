// Tags: the values the gateway reads from each device, with their CSV/JSON import and export,
// their live values (a stream from the frame bus) and writes to the devices.
import { z } from 'zod';
import { LiveValuesMessage } from '../../common/live-values-message.ts';
import { BusOverloadedError } from '../bus/frame-bus.ts';
import { requireRecord } from '../db/database-errors.ts';
import { tagValueOf, tagValueView, type TagValue, type TagValueView } from '../live/frame-views.ts';
import { checkTagRange, tagFields, tagFilter } from '../records/tag-record.ts';
import { tagWriteValue } from '../tags/tag-write-value.ts';
import { exportTags, importTags } from '../transfer/tag-transfer.ts';
import { ApiError } from './api-errors.ts';
import { id, limit, offset, requiredOr, updateInput } from './api-schemas.ts';
import { applyToDrivers } from './driver-changes.ts';
import { liveStream } from './live-stream.ts';
import { exportFileName, exportInput, importInput, runImport } from './transfer-procedures.ts';
import { procedure, router, signedIn } from './trpc.ts';

const liveInput = z
  .object({
    tagIds: z.array(id).max(10_000, 'at most 10,000 tags per stream').default([]),
    deviceIds: z.array(id).max(1_000, 'at most 1,000 devices per stream').default([]),
    /** at most one message per interval: 100 ms is 10 updates per second */
    intervalMs: z.int('must be a whole number of milliseconds').min(100).max(60_000).default(100),
  })
  .refine((input) => input.tagIds.length + input.deviceIds.length > 0, {
    message: 'name at least one tag (tagIds) or device (deviceIds)',
    path: ['tagIds'],
  });

const writeInput = z.object({
  id,
  /** the engineering value; 64-bit integers as bigint or decimal text, bytes as hex text */
  value: z.union([z.boolean(), z.number(), z.bigint(), z.string().max(10_000), z.date()], {
    error: requiredOr('must be true/false, a number, text or a date'),
  }),
  /** how long the device may take to confirm */
  timeoutMs: z.int('must be a whole number of milliseconds').min(100).max(60_000).default(5_000),
});

/** A value as JSON can hold it, for the audit row. */
function auditValue(value: TagValue | undefined): string | number | boolean | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'bigint') return value.toString();
  return value instanceof Date ? value.toISOString() : value;
}

export const tagsRouter = router({
  /** A page of tags, filtered by device, text (name, address, description) and enabled. */
  list: procedure('read')
    .input(tagFilter.extend({ limit: limit(5_000, 500), offset }).optional())
    .query(async ({ ctx, input }) => {
      const filter = input ?? { limit: 500, offset: 0 };
      const { limit: pageSize, offset: skip, ...where } = filter;
      const [tags, total] = await Promise.all([
        ctx.services.repos.tags.list({ ...where, limit: pageSize, offset: skip }),
        ctx.services.repos.tags.count(where),
      ]);
      return { tags, total };
    }),

  get: procedure('read')
    .input(z.object({ id }))
    .query(async ({ ctx, input }) => requireRecord(await ctx.services.repos.tags.get(input.id), 'tag', input.id)),

  create: procedure('configure-devices')
    .input(tagFields.superRefine(checkTagRange))
    .mutation(async ({ ctx, input }) => {
      const tag = await ctx.services.repos.tags.create(input);
      await applyToDrivers(ctx, [tag.deviceId]);
      return tag;
    }),

  update: procedure('configure-devices')
    .input(updateInput(tagFields).superRefine(checkTagRange))
    .mutation(async ({ ctx, input: { id: tagId, ...patch } }) => {
      const before = await ctx.services.repos.tags.get(tagId);
      const tag = await ctx.services.repos.tags.update(tagId, patch);
      await applyToDrivers(ctx, new Set([tag.deviceId, before?.deviceId ?? tag.deviceId]));
      return tag;
    }),

  delete: procedure('configure-devices')
    .input(z.object({ id }))
    .mutation(async ({ ctx, input }) => {
      const before = await ctx.services.repos.tags.get(input.id);
      await ctx.services.repos.tags.delete(input.id);
      if (before) await applyToDrivers(ctx, [before.deviceId]);
      return { id: input.id };
    }),

  /**
   * Live values of the named tags and of every tag of the named devices: a snapshot of the
   * latest values, then batches of changes (the latest per tag) at most once per intervalMs.
   * Ends when the session ends.
   */
  live: procedure('read')
    .input(liveInput)
    .subscription(async function* ({ ctx, input, signal }) {
      const { bus, lastValues } = ctx.services;
      const filter = { tagIds: new Set(input.tagIds), deviceIds: new Set(input.deviceIds) };
      yield* liveStream<LiveValuesMessage>(
        ctx,
        signal,
        (push) =>
          bus.subscribeCoalesced(
            {
              name: `api tags.live (${signedIn(ctx).user.username})`,
              types: ['data'],
              intervalMs: input.intervalMs,
              ...filter,
            },
            (frames) => {
              const values: TagValueView[] = [];
              for (const frame of frames)
                if (frame.type === 'data') values.push(tagValueView(frame.payload, frame.sequenceId));
              return push(new LiveValuesMessage('update', values));
            },
          ),
        async () => {
          await lastValues.settled();
          return new LiveValuesMessage('snapshot', lastValues.snapshot(filter));
        },
      );
    }),

  /**
   * Writes a value to a tag whose access allows it: checked against its data type and min/max,
   * sent to its device's driver, and answered with the device's confirmation (success, the value
   * read back, or why it failed). The audit row keeps the old and new value.
   */
  write: procedure('write-tags')
    .input(writeInput)
    .mutation(async ({ ctx, input }) => {
      const { repos, lastValues, tagWriter } = ctx.services;
      const tag = requireRecord(await repos.tags.get(input.id), 'tag', input.id);
      const value = tagWriteValue(tag, input.value);
      const before = lastValues.get(tag.id);
      ctx.audit.details = {
        tag: tag.name,
        deviceId: tag.deviceId,
        oldValue: auditValue(before?.value),
        newValue: auditValue(tagValueOf(value)),
      };
      let outcome;
      try {
        outcome = await tagWriter.write({
          tagId: tag.id,
          deviceId: tag.deviceId,
          value,
          originUser: signedIn(ctx).user.username,
          timeoutMs: input.timeoutMs,
        });
      } catch (error) {
        if (!(error instanceof BusOverloadedError)) throw error;
        throw new ApiError({
          code: 'SERVICE_UNAVAILABLE',
          message: 'The gateway is overloaded right now; nothing was written. Try again in a moment.',
          reason: 'BUS_OVERLOADED',
        });
      }
      const actualValue = tagValueOf(outcome.actualValue);
      ctx.audit.details = { ...ctx.audit.details, actualValue: auditValue(actualValue), commandId: outcome.commandId };
      ctx.audit.outcome = { success: outcome.success, errorMessage: outcome.error };
      return {
        tagId: tag.id,
        commandId: outcome.commandId,
        success: outcome.success,
        error: outcome.error,
        /** the value read back after the write; null when the driver could not read it back */
        actualValue: outcome.actualValue ? actualValue : null,
        timedOut: outcome.timedOut,
        elapsedMs: outcome.elapsedMs,
      };
    }),

  /** All tags, or one device's, as a file; devices are named, not numbered. */
  export: procedure('read', { audit: true })
    .input(exportInput.extend({ deviceId: id.optional() }))
    .query(async ({ ctx, input }) => {
      const { repos } = ctx.services;
      const [tags, devices] = await Promise.all([repos.tags.list({ deviceId: input.deviceId }), repos.devices.list()]);
      ctx.audit.details = { records: tags.length };
      return {
        fileName: exportFileName('tags', input.format, ctx.services.clock.now()),
        format: input.format,
        records: tags.length,
        content: exportTags(tags, new Map(devices.map((d) => [d.id, d.name])), input.format),
      };
    }),

  /** All or nothing: any row with a problem and nothing changes; the report lists every problem. */
  import: procedure('configure-devices')
    .input(importInput)
    .mutation(async ({ ctx, input }) => {
      const report = await runImport(ctx, () =>
        importTags(ctx.services.database.db, input.format, input.content, { replaceExisting: input.replaceExisting }),
      );
      if (report.applied) await applyToDrivers(ctx, 'all');
      return report;
    }),
});
