// Trends: history of tags for charts (downsampled on the gateway, at most one bucket per pixel,
// plus the live tail not stored yet), raw exports as CSV, and where history goes and how far
// behind it is. Readable by every role.
import { z } from 'zod';
import { MAX_PENS, TREND_PRESET_NAMES, type TrendDefinition } from '../../common/trend-definition.ts';
import { RetryableWriteError } from '../historian/historian-backend.ts';
import type { Historian } from '../historian/historian.ts';
import { InfluxV1Backend } from '../historian/influx-v1-backend.ts';
import { rawCsvHeader, rawCsvRows } from '../historian/raw-csv.ts';
import { TrendQueryError } from '../historian/trend-service.ts';
import { OperationRefusedError } from '../gateway/operation-refused-error.ts';
import { ApiError } from './api-errors.ts';
import type { ApiServices } from './api-services.ts';
import { id, name } from './api-schemas.ts';
import { procedure, router, signedIn } from './trpc.ts';

const MAX_RANGE_MS = 10 * 365 * 24 * 3_600_000;

const range = z
  .object({
    tagIds: z.array(id).min(1, 'pick at least one tag').max(32, 'at most 32 tags at once'),
    from: z.date({ error: 'must be a date' }),
    to: z.date({ error: 'must be a date' }),
  })
  .refine((input) => input.to > input.from, { path: ['to'], message: 'must be after from' })
  .refine((input) => input.to.getTime() - input.from.getTime() <= MAX_RANGE_MS, {
    path: ['from'],
    message: 'the range may span at most 10 years',
  });

const preset = z.enum(TREND_PRESET_NAMES, { error: `must be one of ${TREND_PRESET_NAMES.join(', ')}` });

/** A saved set's pens and range, checked as strictly as a query (it is opened as one later). */
const definition = z.object({
  pens: z
    .array(
      z.object({
        tagId: id,
        color: z.string().regex(/^#[0-9a-f]{6}$/i, 'must be a colour as #rrggbb'),
      }),
    )
    .min(1, 'pick at least one tag')
    .max(MAX_PENS, `at most ${MAX_PENS} pens`),
  range: z.discriminatedUnion(
    'mode',
    [
      z.object({ mode: z.literal('live'), preset }),
      z.object({ mode: z.literal('preset'), preset }),
      z
        .object({ mode: z.literal('custom'), fromMs: z.number().int(), toMs: z.number().int() })
        .refine((r) => r.toMs > r.fromMs, { path: ['toMs'], message: 'must be after fromMs' })
        .refine((r) => r.toMs - r.fromMs <= MAX_RANGE_MS, {
          path: ['fromMs'],
          message: 'the range may span at most 10 years',
        }),
    ],
    { error: 'mode must be live, preset or custom' },
  ),
}) satisfies z.ZodType<TrendDefinition>;

/** A saved set as the UI receives it. */
function setView(row: { id: string; name: string; definition: unknown; createdAt: Date; updatedAt: Date }) {
  return {
    id: row.id,
    name: row.name,
    definition: row.definition as TrendDefinition,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Saved trend sets: each signed-in user lists and changes only their own. */
const setsRouter = router({
  list: procedure('read').query(async ({ ctx }) =>
    (await ctx.services.repos.trendSets.list(signedIn(ctx).user.id)).map(setView),
  ),

  create: procedure('read', { resourceType: 'trend_set' })
    .input(z.object({ name: name(100), definition }))
    .mutation(async ({ ctx, input }) =>
      setView(await ctx.services.repos.trendSets.create(signedIn(ctx).user.id, input.name, input.definition)),
    ),

  /** Renames a set, or replaces its pens and range (saving the open trend over it). */
  update: procedure('read', { resourceType: 'trend_set' })
    .input(z.object({ id, name: name(100).optional(), definition: definition.optional() }))
    .mutation(async ({ ctx, input: { id: setId, ...patch } }) =>
      setView(await ctx.services.repos.trendSets.update(signedIn(ctx).user.id, setId, patch)),
    ),

  delete: procedure('read', { resourceType: 'trend_set' })
    .input(z.object({ id }))
    .mutation(async ({ ctx, input }) => {
      const removed = await ctx.services.repos.trendSets.delete(signedIn(ctx).user.id, input.id);
      ctx.audit.details = { name: removed.name };
      return { id: removed.id };
    }),
});

function historianOf(services: ApiServices): Historian {
  if (!services.historian) {
    throw new ApiError({
      code: 'SERVICE_UNAVAILABLE',
      message: 'The historian is not running.',
      reason: 'NO_HISTORIAN',
    });
  }
  return services.historian;
}

/** The historian's failures in words: a store that is down, or a range it cannot answer. */
function inWords(error: unknown): unknown {
  if (error instanceof TrendQueryError)
    return new OperationRefusedError('invalid', error.message, { field: error.field });
  if (error instanceof RetryableWriteError) {
    return new ApiError({
      code: 'SERVICE_UNAVAILABLE',
      message: `History cannot be read right now: ${error.message}. Values keep being recorded in the write-ahead log.`,
      reason: 'HISTORIAN_UNAVAILABLE',
    });
  }
  return error;
}

function answering<T>(work: () => Promise<T>): Promise<T> {
  return work().catch((error: unknown) => {
    throw inWords(error);
  });
}

export const trendsRouter = router({
  sets: setsRouter,

  /** Tags × range × chart width in pixels → per tag min, max and mean per bucket, with the live tail. */
  query: procedure('read')
    .input(range.safeExtend({ widthPx: z.number().int().min(10, 'must be at least 10').max(10_000) }))
    .query(({ ctx, input }) =>
      answering(() =>
        historianOf(ctx.services).trends.query({
          tagIds: input.tagIds,
          fromMs: input.from.getTime(),
          toMs: input.to.getTime(),
          widthPx: input.widthPx,
        }),
      ),
    ),

  /**
   * The raw samples of a range as CSV, streamed: a header chunk, then chunks of up to a few
   * thousand rows, then { done: true }. Nothing holds the whole range in memory.
   */
  exportCsv: procedure('read', { audit: true })
    .input(range)
    .subscription(async function* ({ ctx, input, signal }) {
      const historian = historianOf(ctx.services);
      yield { csv: rawCsvHeader(), rows: 0, done: false };
      let rows = 0;
      try {
        for await (const chunk of historian.trends.rawRows(input.tagIds, input.from.getTime(), input.to.getTime())) {
          if (signal?.aborted) return;
          rows += chunk.length;
          yield { csv: rawCsvRows(chunk), rows, done: false };
        }
      } catch (error) {
        throw inWords(error);
      }
      yield { csv: '', rows, done: true };
    }),

  /** Where history goes and its backlog (frames, bytes, age, estimated drain time). */
  status: procedure('read').query(({ ctx }) => historianOf(ctx.services).status()),

  /**
   * Recomputes InfluxDB 1.x's hourly and daily aggregates of a range (a continuous query does not
   * cover data that arrived after its interval ended, e.g. an import).
   */
  backfill: procedure('configure-devices')
    .input(
      z
        .object({ from: z.date(), to: z.date() })
        .refine((i) => i.to > i.from, { path: ['to'], message: 'must be after from' }),
    )
    .mutation(async ({ ctx, input }) => {
      const backend = historianOf(ctx.services).backend;
      if (!(backend instanceof InfluxV1Backend)) {
        throw new OperationRefusedError(
          'invalid',
          backend.kind === 'embedded'
            ? 'The embedded store keeps its aggregates up to date as values arrive; there is nothing to backfill.'
            : "InfluxDB 2.x's downsampling tasks are run again from InfluxDB's own task screen.",
          { reason: 'NOTHING_TO_BACKFILL' },
        );
      }
      await answering(() => backend.backfill(input.from.getTime(), input.to.getTime()));
      return { from: input.from, to: input.to };
    }),
});
