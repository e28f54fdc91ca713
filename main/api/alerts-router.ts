// Alert rules and the alert history. Acknowledging and shelving come with the alert engine
// (access level 'respond-to-alerts').
import { z } from 'zod';
import { ALERT_LEVELS, ALERT_STATUSES } from '../../common/enums.ts';
import { requireRecord } from '../db/database-errors.ts';
import type { Repositories } from '../db/repositories/repositories.ts';
import { OperationRefusedError } from '../gateway/operation-refused-error.ts';
import { alertRuleFields, checkThresholds, type AlertRuleFields } from '../records/alert-rule-record.ts';
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

const rulesRouter = router({
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
      return repos.alertRules.create({ ...rule, createdBy: signedIn(ctx).user.username });
    }),

  update: procedure('configure-alerts')
    .input(updateInput(alertRuleFields))
    .mutation(async ({ ctx, input: { id: ruleId, ...patch } }) => {
      const { repos } = ctx.services;
      return repos.alertRules.update(ruleId, await withTagDevice(repos, patch));
    }),

  delete: procedure('configure-alerts')
    .input(z.object({ id }))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.repos.alertRules.delete(input.id);
      return { id: input.id };
    }),
});

export const alertsRouter = router({
  rules: rulesRouter,

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
