// The save-time check of a rule's condition_expression: parsed and compiled against the tags
// that exist now, exactly as the engine will compile it, so a rule that saves also runs.
import type { Database } from '../db/database.ts';
import { AlertEngineRepository, type TagName } from '../db/repositories/alert-engine-repository.ts';
import type { AlertRule } from '../db/repositories/alert-rules-repository.ts';
import { compileExpression, type ExpressionScope, type ExpressionType } from './condition-expression.ts';
import { TagDirectory } from './tag-directory.ts';
import { TagSeries } from './tag-series.ts';

type RuleTarget = Pick<AlertRule, 'deviceId' | 'tagId'>;

/** The scope an expression of `rule` compiles in: its own tag as `value`, other tags by name. */
export function expressionScope(
  directory: TagDirectory,
  rule: RuleTarget,
  seriesOf: (tag: TagName) => TagSeries,
): ExpressionScope {
  const ownTag = rule.tagId ? directory.byId.get(rule.tagId) : undefined;
  return {
    self: ownTag ? seriesOf(ownTag) : undefined,
    resolve: (reference) => {
      const found = directory.find(reference, rule.deviceId);
      return typeof found === 'string' ? found : seriesOf(found);
    },
    retain: (signal, windowMs) => (signal as TagSeries).retain(windowMs),
  };
}

/**
 * Checks `conditionExpression` for a rule on `deviceId`/`tagId`; returns whether it is a number
 * (compared with op and thresholds) or a condition, or throws an ExpressionError naming the
 * position and the problem.
 */
export async function checkRuleExpression(
  db: Database,
  rule: RuleTarget & Pick<AlertRule, 'conditionExpression'>,
): Promise<ExpressionType> {
  const directory = new TagDirectory(await new AlertEngineRepository(db).tagNames());
  const seriesOf = (tag: TagName): TagSeries => new TagSeries(tag.id, tag.deviceId, tag.name, 0);
  return compileExpression(rule.conditionExpression, expressionScope(directory, rule, seriesOf)).type;
}
