// Alert rules, the alerts that are open now and the alert history; acknowledging and shelving
// (access level 'respond-to-alerts'). A rule's condition_expression is checked when it is saved.
import { z } from 'zod';
import { ALERT_LEVELS, ALERT_STATUSES } from '../../common/enums.ts';
import { AlertActionError, type AlertEngine } from '../alerts/alert-engine.ts';
import { ExpressionError } from '../alerts/expression-parser.ts';
import { checkRuleExpression } from '../alerts/rule-expression-check.ts';
import type { Database } from '../db/database.ts';
import { requireRecord } from '../db/database-errors.ts';
import type { Repositories } from '../db/repositories/repositories.ts';
import { OperationRefusedError } from '../gateway/operation-refused-error.ts';
import {
  alertRuleFields,
  checkThresholds,
  thresholdOrderProblem,
  type AlertRuleFields,
} from '../records/alert-rule-record.ts';
import { id, limit, oneOf, timestamp, updateInput } from './api-schemas.ts';
import { procedure, router, signedIn } from './trpc.ts';

/**
 * A rule watching a tag watches that tag's device: the device is filled in from the tag, and a
 * rule naming a device and another device's tag is refused.
 */
async function withTagDevice<T extends Partial<Pick<AlertRuleFields, 'deviceId' | 'tagId'>>>(
  repos: Repositories,
  rule: T,
): Promise<T> {
  if (!rule.tagId) return rule;
  const tag = await repos.tags.get(rule.tagId);
  if (!tag) throw new OperationRefusedError('invalid', `Tag ${rule.tagId} does not exist.`, { field: 'tagId' });
  if (rule.deviceId && rule.deviceId !== tag.deviceId) {
    throw new OperationRefusedError('invalid', `Tag '${tag.name}' belongs to another device than deviceId.`, {
      field: 'tagId',
    });
  }
  return { ...rule, deviceId: tag.deviceId };
}

/** The expression check at save time, as a refusal that names the field, position and problem. */
async function checkExpression(
  db: Database,
  rule: Pick<AlertRuleFields, 'conditionExpression' | 'deviceId' | 'tagId'>,
) {
  try {
    await checkRuleExpression(db, { ...rule, deviceId: rule.deviceId ?? null, tagId: rule.tagId ?? null });
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    throw new OperationRefusedError('invalid', `conditionExpression: ${error.message}.`, {
      field: 'conditionExpression',
      reason: `EXPRESSION_AT_${error.position}`,
    });
  }
}

function engineOf(ctx: { services: { alerts?: AlertEngine } }): AlertEngine {
  const engine = ctx.services.alerts;
  if (!engine) throw new OperationRefusedError('conflict', 'The alert engine is not running.');
  return engine;
}

/** Engine refusals ("already resolved", "not shelved") as the API's refusals. */
async function engineAction<T>(action: () => T | Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof AlertActionError) throw new OperationRefusedError(error.reason, error.message);
    throw error;
  }
}

const comment = z.string().trim().max(2_000, 'must be at most 2000 characters').optional();
/** How long an alert may be shelved: a minute to a week. */
const shelveDurationMs = z
  .int('must be a whole number of milliseconds')
  .min(60_000, 'must be at least one minute')
  .max(7 * 24 * 3_600_000, 'must be at most 7 days');

const checkInput = z.object({
  conditionExpression: z.string().max(2_000, 'must be at most 2000 characters'),
  deviceId: id.nullish(),
  tagId: id.nullish(),
});

const rulesRouter = router({
  /**
   * Checks a condition expression as the rules editor's user types it, with the engine's
   * compiler against the tags that exist now; changes nothing. The answer says what the
   * expression is (a number compared by the operator and thresholds, or a condition), or where
   * and why it is wrong (position counted from 1).
   */
  check: procedure('configure-alerts')
    .input(checkInput)
    .query(async ({ ctx, input }) => {
      // The device a saved rule would have: its tag's device (other tags resolve there first).
      const target = await withTagDevice(ctx.services.repos, {
        deviceId: input.deviceId ?? null,
        tagId: input.tagId ?? null,
      });
      try {
        const type = await checkRuleExpression(ctx.services.database.db, {
          conditionExpression: input.conditionExpression,
          deviceId: target.deviceId ?? null,
          tagId: target.tagId,
        });
        return { ok: true as const, type };
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        return { ok: false as const, position: error.position, problem: error.problem };
      }
    }),

  list: procedure('read')
    .input(z.object({ enabledOnly: z.boolean().optional() }).optional())
    .query(({ ctx, input }) => ctx.services.repos.alertRules.list(input)),

  get: procedure('read')
    .input(z.object({ id }))
    .query(async ({ ctx, input }) =>
      requireRecord(await ctx.services.repos.alertRules.get(input.id), 'alert rule', input.id),
    ),

  create: procedure('configure-alerts')
    .input(alertRuleFields.superRefine(checkThresholds))
    .mutation(async ({ ctx, input }) => {
      const { repos } = ctx.services;
      const rule = await withTagDevice(repos, input);
      await checkExpression(ctx.services.database.db, rule);
      const created = await repos.alertRules.create({ ...rule, createdBy: signedIn(ctx).user.username });
      await ctx.services.alerts?.reload();
      return created;
    }),

  update: procedure('configure-alerts')
    .input(updateInput(alertRuleFields))
    .mutation(async ({ ctx, input: { id: ruleId, ...patch } }) => {
      const { repos } = ctx.services;
      const changes = await withTagDevice(repos, patch);
      const current = requireRecord(await repos.alertRules.get(ruleId), 'alert rule', ruleId);
      const order = thresholdOrderProblem({ ...current, ...changes });
      if (order) throw new OperationRefusedError('invalid', `thresholdLow: ${order}.`, { field: 'thresholdLow' });
      if (changes.conditionExpression !== undefined || changes.tagId !== undefined || changes.deviceId !== undefined) {
        await checkExpression(ctx.services.database.db, { ...current, ...changes });
      }
      const updated = await repos.alertRules.update(ruleId, changes);
      await ctx.services.alerts?.reload();
      return updated;
    }),

  delete: procedure('configure-alerts')
    .input(z.object({ id }))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.repos.alertRules.delete(input.id);
      await ctx.services.alerts?.reload();
      return { id: input.id };
    }),
});

export const alertsRouter = router({
  rules: rulesRouter,

  /** Alerts that are not resolved (ACTIVE, ACKNOWLEDGED, SUPPRESSED), most severe first. */
  active: procedure('read').query(({ ctx }) => engineOf(ctx).active()),

  /** Acknowledges one or more alerts with an optional comment; reports each one's outcome. */
  acknowledge: procedure('respond-to-alerts')
    .input(z.object({ ids: z.array(id).min(1, 'must name at least one alert').max(1_000), comment }))
    .mutation(async ({ ctx, input }) => {
      const results = await engineOf(ctx).acknowledge(input.ids, signedIn(ctx).user.username, input.comment ?? '');
      ctx.audit.resourceId = input.ids.length === 1 ? input.ids[0] : null;
      ctx.audit.details = {
        acknowledged: results.filter((r) => r.ok).map((r) => r.id),
        refused: results.filter((r) => !r.ok).map((r) => r.id),
        // whole: the input's summary shortens long texts, and this one is the point of the row
        comment: input.comment || null,
      };
      if (input.ids.length === 1 && !results[0]?.ok)
        throw new OperationRefusedError('conflict', results[0]?.error ?? '');
      return results;
    }),

  /** Shelves an open alert (SUPPRESSED) for a while; it then returns to its real state. */
  shelve: procedure('respond-to-alerts')
    .input(z.object({ id, durationMs: shelveDurationMs, comment }))
    .mutation(({ ctx, input }) =>
      engineAction(async () => {
        const engine = engineOf(ctx);
        const shelved = engine.shelve(input.id, input.durationMs, signedIn(ctx).user.username, input.comment);
        await engine.historyWritten();
        return shelved;
      }),
    ),

  /** Ends a shelving early. */
  unshelve: procedure('respond-to-alerts')
    .input(z.object({ id, comment }))
    .mutation(({ ctx, input }) =>
      engineAction(async () => {
        const engine = engineOf(ctx);
        const unshelved = engine.unshelve(input.id, signedIn(ctx).user.username, input.comment);
        await engine.historyWritten();
        return unshelved;
      }),
    ),

  /** Fired alerts, newest first, filtered by status, level, device, rule and time. */
  history: procedure('read')
    .input(
      z
        .object({
          statuses: z.array(oneOf(ALERT_STATUSES)).max(ALERT_STATUSES.length).optional(),
          levels: z.array(oneOf(ALERT_LEVELS)).max(ALERT_LEVELS.length).optional(),
          deviceId: id.optional(),
          ruleId: id.optional(),
          from: timestamp.optional(),
          to: timestamp.optional(),
          limit: limit(5_000, 500),
        })
        .optional(),
    )
    .query(({ ctx, input }) => ctx.services.repos.alertHistory.list(input ?? { limit: 500 })),

  /** Alerts per hour and level over the last 24 hours (the seed's alert_statistics view). */
  statistics: procedure('read').query(({ ctx }) => ctx.services.repos.alertHistory.statistics()),
});
