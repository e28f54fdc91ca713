import { and, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { alertHistory } from '../../../drizzle/schema/alerts.ts';
import type { AlertLevel, AlertStatus } from '../../../common/enums.ts';
import { alertStatistics } from '../../../drizzle/schema/views.ts';
import { queryRows, type Database } from '../database.ts';
import { RecordNotFoundError, withConstraintErrors } from '../database-errors.ts';

export type AlertHistoryRow = typeof alertHistory.$inferSelect;
export type NewAlertHistoryRow = typeof alertHistory.$inferInsert;
export type AlertHistoryPatch = Partial<Omit<NewAlertHistoryRow, 'id'>>;
export type AlertStatisticsRow = typeof alertStatistics.$inferSelect;

export interface AlertHistoryFilter {
  statuses?: AlertStatus[];
  levels?: AlertLevel[];
  deviceId?: string;
  ruleId?: string;
  from?: Date;
  to?: Date;
  limit?: number;
}

export class AlertHistoryRepository {
  constructor(private readonly db: Database) {}

  list(filter: AlertHistoryFilter = {}): Promise<AlertHistoryRow[]> {
    const conditions: SQL[] = [];
    if (filter.statuses?.length) conditions.push(inArray(alertHistory.status, filter.statuses));
    if (filter.levels?.length) conditions.push(inArray(alertHistory.level, filter.levels));
    if (filter.deviceId) conditions.push(eq(alertHistory.deviceId, filter.deviceId));
    if (filter.ruleId) conditions.push(eq(alertHistory.ruleId, filter.ruleId));
    if (filter.from) conditions.push(gte(alertHistory.firedAt, filter.from));
    if (filter.to) conditions.push(lte(alertHistory.firedAt, filter.to));
    return withConstraintErrors(() =>
      this.db
        .select()
        .from(alertHistory)
        .where(conditions.length ? and(...conditions) : undefined)
        .orderBy(desc(alertHistory.firedAt))
        .limit(filter.limit ?? 1000),
    );
  }

  async get(id: string): Promise<AlertHistoryRow | undefined> {
    const [row] = await withConstraintErrors(() => this.db.select().from(alertHistory).where(eq(alertHistory.id, id)));
    return row;
  }

  async create(input: NewAlertHistoryRow): Promise<AlertHistoryRow> {
    const [row] = await withConstraintErrors(() => this.db.insert(alertHistory).values(input).returning());
    return row as AlertHistoryRow;
  }

  async update(id: string, patch: AlertHistoryPatch): Promise<AlertHistoryRow> {
    const [row] = await withConstraintErrors(() =>
      this.db.update(alertHistory).set(patch).where(eq(alertHistory.id, id)).returning(),
    );
    if (!row) throw new RecordNotFoundError('alert', id);
    return row;
  }

  /** The seed's auto_resolve_expired_alerts(): resolves alerts ACTIVE for over 24 h; returns how many. */
  async autoResolveExpired(): Promise<number> {
    const [row] = await queryRows<{ resolved: number }>(this.db, sql`SELECT auto_resolve_expired_alerts() AS resolved`);
    return Number(row?.resolved ?? 0);
  }

  statistics(): Promise<AlertStatisticsRow[]> {
    return this.db.select().from(alertStatistics);
  }
}
