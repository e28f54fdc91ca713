import { asc, eq } from 'drizzle-orm';
import { alertRules } from '../../../drizzle/schema/alerts.ts';
import type { Database } from '../database.ts';
import { RecordNotFoundError, withConstraintErrors } from '../database-errors.ts';

export type AlertRule = typeof alertRules.$inferSelect;
export type NewAlertRule = typeof alertRules.$inferInsert;
export type AlertRulePatch = Partial<Omit<NewAlertRule, 'id' | 'createdAt' | 'updatedAt'>>;

export class AlertRulesRepository {
  constructor(private readonly db: Database) {}

  list(options: { enabledOnly?: boolean } = {}): Promise<AlertRule[]> {
    return this.db
      .select()
      .from(alertRules)
      .where(options.enabledOnly ? eq(alertRules.enabled, true) : undefined)
      .orderBy(asc(alertRules.name));
  }

  async get(id: string): Promise<AlertRule | undefined> {
    const [row] = await withConstraintErrors(() => this.db.select().from(alertRules).where(eq(alertRules.id, id)));
    return row;
  }

  async create(input: NewAlertRule): Promise<AlertRule> {
    const [row] = await withConstraintErrors(() => this.db.insert(alertRules).values(input).returning());
    return row as AlertRule;
  }

  async update(id: string, patch: AlertRulePatch): Promise<AlertRule> {
    const [row] = await withConstraintErrors(() =>
      this.db.update(alertRules).set(patch).where(eq(alertRules.id, id)).returning(),
    );
    if (!row) throw new RecordNotFoundError('alert rule', id);
    return row;
  }

  async delete(id: string): Promise<void> {
    const deleted = await withConstraintErrors(() =>
      this.db.delete(alertRules).where(eq(alertRules.id, id)).returning({ id: alertRules.id }),
    );
    if (deleted.length === 0) throw new RecordNotFoundError('alert rule', id);
  }
}
