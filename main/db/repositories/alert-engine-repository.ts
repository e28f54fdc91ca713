// What the alert engine reads at start (open alerts, each rule's last episode, pending
// conditions) and writes as alerts change. Every change appends a transition to the alert's
// details, so one alert_history row tells its whole story.
import { eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { alertHistory, alertRuleState, alertRules } from '../../../drizzle/schema/alerts.ts';
import { devices, tags } from '../../../drizzle/schema/devices.ts';
import { queryRows, type Database } from '../database.ts';
import { withConstraintErrors } from '../database-errors.ts';
import type { AlertHistoryPatch, AlertHistoryRow, NewAlertHistoryRow } from './alert-history-repository.ts';
import type { AlertRule } from './alert-rules-repository.ts';

export interface TagName {
  id: string;
  name: string;
  deviceId: string;
  deviceName: string;
}

export interface LastEpisode {
  ruleId: string;
  firedAt: Date;
  resolvedAt: Date | null;
  resolvedBy: string | null;
}

export class AlertEngineRepository {
  constructor(private readonly db: Database) {}

  enabledRules(): Promise<AlertRule[]> {
    return withConstraintErrors(() => this.db.select().from(alertRules).where(eq(alertRules.enabled, true)));
  }

  /** Every tag with its device's name: how expressions name tags. */
  tagNames(): Promise<TagName[]> {
    return withConstraintErrors(() =>
      this.db
        .select({ id: tags.id, name: tags.name, deviceId: tags.deviceId, deviceName: devices.name })
        .from(tags)
        .innerJoin(devices, eq(devices.id, tags.deviceId)),
    );
  }

  openAlerts(): Promise<AlertHistoryRow[]> {
    return withConstraintErrors(() =>
      this.db
        .select()
        .from(alertHistory)
        .where(inArray(alertHistory.status, ['ACTIVE', 'ACKNOWLEDGED', 'SUPPRESSED'])),
    );
  }

  /** Each rule's latest alert: its resolution starts the cooldown. */
  async lastEpisodes(): Promise<LastEpisode[]> {
    const rows = await withConstraintErrors(() =>
      queryRows<{
        rule_id: string;
        fired_at: string | Date;
        resolved_at: string | Date | null;
        resolved_by: string | null;
      }>(
        this.db,
        sql`SELECT DISTINCT ON (rule_id) rule_id, fired_at, resolved_at, details->>'resolvedBy' AS resolved_by
            FROM alert_history WHERE rule_id IS NOT NULL ORDER BY rule_id, fired_at DESC`,
      ),
    );
    return rows.map((row) => ({
      ruleId: row.rule_id,
      firedAt: new Date(row.fired_at),
      resolvedAt: row.resolved_at === null ? null : new Date(row.resolved_at),
      resolvedBy: row.resolved_by,
    }));
  }

  pendingConditions(): Promise<{ ruleId: string; pendingSince: Date }[]> {
    return withConstraintErrors(() =>
      this.db.select().from(alertRuleState).where(isNotNull(alertRuleState.pendingSince)),
    );
  }

  async statusOf(id: string): Promise<AlertHistoryRow['status'] | undefined> {
    const [row] = await withConstraintErrors(() =>
      this.db.select({ status: alertHistory.status }).from(alertHistory).where(eq(alertHistory.id, id)),
    );
    return row?.status;
  }

  /** The status and recorded transitions of one alert (recovery from the WAL checks them). */
  async transitionsOf(
    id: string,
  ): Promise<{ status: AlertHistoryRow['status']; transitions: Record<string, unknown>[] } | undefined> {
    const [row] = await withConstraintErrors(() =>
      this.db
        .select({ status: alertHistory.status, details: alertHistory.details })
        .from(alertHistory)
        .where(eq(alertHistory.id, id)),
    );
    if (!row) return undefined;
    const transitions = row.details?.transitions;
    return {
      status: row.status,
      transitions: Array.isArray(transitions) ? (transitions as Record<string, unknown>[]) : [],
    };
  }

  async insertAlert(row: NewAlertHistoryRow): Promise<void> {
    await withConstraintErrors(() => this.db.insert(alertHistory).values(row).onConflictDoNothing());
  }

  /** Updates an alert, merges `details` into its details and appends `transition` to its transitions. */
  async updateAlert(
    id: string,
    patch: AlertHistoryPatch,
    details: Record<string, unknown>,
    transition: Record<string, unknown>,
  ): Promise<void> {
    const merged = sql`jsonb_set(coalesce(${alertHistory.details}, '{}'::jsonb) || ${JSON.stringify(details)}::jsonb,
      '{transitions}', coalesce(${alertHistory.details}->'transitions', '[]'::jsonb) || ${JSON.stringify([transition])}::jsonb)`;
    await withConstraintErrors(() =>
      this.db
        .update(alertHistory)
        .set({ ...patch, details: merged })
        .where(eq(alertHistory.id, id)),
    );
  }

  async setPending(ruleId: string, since: Date | undefined): Promise<void> {
    await withConstraintErrors(async () => {
      if (since === undefined) {
        await this.db.delete(alertRuleState).where(eq(alertRuleState.ruleId, ruleId));
        return;
      }
      // The rule may have been deleted meanwhile: then there is nothing to remember.
      await this.db.execute(
        sql`INSERT INTO alert_rule_state (rule_id, pending_since)
            SELECT ${ruleId}::uuid, ${since.toISOString()}::timestamptz WHERE EXISTS (SELECT 1 FROM alert_rules WHERE id = ${ruleId}::uuid)
            ON CONFLICT (rule_id) DO UPDATE SET pending_since = EXCLUDED.pending_since`,
      );
    });
  }
}
