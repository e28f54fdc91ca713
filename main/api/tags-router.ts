// Tags: the values the gateway reads from each device, with their CSV/JSON import and export.
// Live values and tag writes come with the frame bus (access levels 'read' and 'write-tags').
import { z } from 'zod';
import { requireRecord } from '../db/database-errors.ts';
import { checkTagRange, tagFields, tagFilter } from '../records/tag-record.ts';
import { exportTags, importTags } from '../transfer/tag-transfer.ts';
import { id, limit, offset, updateInput } from './api-schemas.ts';
import { exportFileName, exportInput, importInput, runImport } from './transfer-procedures.ts';
import { procedure, router } from './trpc.ts';

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
    .mutation(({ ctx, input }) => ctx.services.repos.tags.create(input)),

  update: procedure('configure-devices')
    .input(updateInput(tagFields).superRefine(checkTagRange))
    .mutation(({ ctx, input: { id: tagId, ...patch } }) => ctx.services.repos.tags.update(tagId, patch)),

  delete: procedure('configure-devices')
    .input(z.object({ id }))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.repos.tags.delete(input.id);
      return { id: input.id };
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
    .mutation(({ ctx, input }) =>
      runImport(ctx, () =>
        importTags(ctx.services.database.db, input.format, input.content, { replaceExisting: input.replaceExisting }),
      ),
    ),
});
