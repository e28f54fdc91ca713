import { describe, expect, it } from 'vitest';
import { compileExpression, type ExpressionScope } from './condition-expression.ts';
import { ExpressionError } from './expression-parser.ts';
import { TagDirectory } from './tag-directory.ts';
import { TagSeries } from './tag-series.ts';

const T0 = 1_000_000;

function scopeWith(ruleDevice = 'd1') {
  const directory = new TagDirectory([
    { id: 't1', name: 'T1', deviceId: 'd1', deviceName: 'PLC-001' },
    { id: 't2', name: 'T2', deviceId: 'd1', deviceName: 'PLC-001' },
    { id: 't3', name: 'Boiler.Temp', deviceId: 'd2', deviceName: 'PLC-002' },
    { id: 't4', name: 'Flow', deviceId: 'd2', deviceName: 'PLC-002' },
    { id: 't5', name: 'Flow', deviceId: 'd3', deviceName: 'PLC-003' },
  ]);
  const series = new Map<string, TagSeries>();
  const seriesOf = (id: string): TagSeries => {
    const tag = directory.byId.get(id);
    if (!tag) throw new Error(id);
    let found = series.get(id);
    if (!found) series.set(id, (found = new TagSeries(id, tag.deviceId, `${tag.deviceName}/${tag.name}`, T0)));
    return found;
  };
  const self = seriesOf('t1');
  const scope: ExpressionScope = {
    self,
    resolve: (reference) => {
      const found = directory.find(reference, ruleDevice);
      return typeof found === 'string' ? found : seriesOf(found.id);
    },
    retain: (signal, windowMs) => (signal as TagSeries).retain(windowMs),
  };
  return { scope, seriesOf };
}

function problemOf(source: string): { position: number; problem: string; message: string } {
  try {
    compileExpression(source, scopeWith().scope);
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError);
    const { position, problem, message } = error as ExpressionError;
    return { position, problem, message };
  }
  throw new Error(`"${source}" compiled`);
}

describe('condition expressions: what a user is told at save time', () => {
  it.each([
    ['value >', 8, 'expected expression after >'],
    ['(value + 1', 11, 'a "(" is never closed'],
    ['value > 80 80', 12, 'one expression only: remove the "," or ";"'],
  ])('syntax error in %s', (source, position, problem) => {
    const error = problemOf(source);
    expect(error.problem.toLowerCase()).toContain(problem.toLowerCase());
    expect(error.position).toBe(position);
    expect(error.message).toBe(`Position ${error.position}: ${error.problem}`);
  });

  it('names an unknown tag and where it is', () => {
    expect(problemOf('value > 2 and T9 > 1')).toEqual({
      position: 15,
      problem: "unknown tag 'T9': no tag of that name exists",
      message: "Position 15: unknown tag 'T9': no tag of that name exists",
    });
  });

  it.each([
    ['process', 1, "unknown tag 'process'"],
    ['constructor', 1, "unknown tag 'constructor'"],
    ['__proto__ > 1', 1, "unknown tag '__proto__'"],
    ['value.constructor', 1, 'property access'],
    ['value["constructor"]', 1, 'property access'],
    ['constructor.constructor("return process")()', 1, 'only the listed functions'],
    ['process.mainModule.require("fs")', 1, 'only the listed functions'],
    ['this', 1, '"this" is not allowed'],
    ['eval("1")', 1, 'unknown function "eval"'],
    ['Function("x")', 1, 'unknown function "Function"'],
    ['"text"', 1, 'text ("text") is only allowed as a tag name'],
    ['[1, 2]', 1, 'lists'],
  ])('refuses %s', (source, position, problem) => {
    const error = problemOf(source);
    expect(error.problem).toContain(problem);
    expect(error.position).toBe(position);
  });

  it('checks types: conditions and numbers do not mix', () => {
    expect(problemOf('value and 1').problem).toBe(
      'the left side of "and" must be a condition (true/false), not a number',
    );
    expect(problemOf('(value > 1) + 2').problem).toBe(
      'the left side of "+" must be a number, not a condition (true/false)',
    );
    expect(problemOf('not value').position).toBe(5);
  });

  it('says how to call functions', () => {
    expect(problemOf('avg(value)').problem).toBe('avg takes a tag and a window in seconds, e.g. avg(value, 60)');
    expect(problemOf('rate(value, 0)').problem).toContain('must be a number of seconds above 0');
    expect(problemOf('rate(value, 0)').position).toBe(13);
    expect(problemOf('avg(1 + 2, 10)').problem).toContain('the first argument of avg must be a tag');
    expect(problemOf('abs(1, 2)').problem).toBe('abs takes 1 argument, not 2');
  });

  it('asks for the device when a tag name is not unique', () => {
    const { scope } = scopeWith('d1');
    expect(() => compileExpression('Flow > 1', scope)).toThrow(
      `the tag name 'Flow' exists on devices 'PLC-002', 'PLC-003': write tag("PLC-002", "Flow")`,
    );
    expect(compileExpression('tag("PLC-003", "Flow") > 1', scope).type).toBe('boolean');
    expect(() => compileExpression('tag("PLC-009", "Flow") > 1', scope)).toThrow("no device named 'PLC-009'");
  });
});

describe('condition expressions: evaluation', () => {
  it('computes arithmetic, comparisons and logic over tags', () => {
    const { scope, seriesOf } = scopeWith();
    seriesOf('t1').update(10, true, T0);
    seriesOf('t2').update(4, true, T0);
    seriesOf('t3').update(-3, true, T0);
    const number = compileExpression('(value - T2) * 2 + abs(tag("Boiler.Temp")) + max(1, 7) ** 2 % 10', scope);
    expect(number.type).toBe('number');
    expect(number.evaluate(T0)).toBe(12 + 3 + 9);
    const condition = compileExpression('value > 5 and not (T2 >= 5) or false', scope);
    expect(condition.type).toBe('boolean');
    expect(condition.evaluate(T0)).toBe(1);
    expect(compileExpression('value == 10 && T2 != 4 || !(value < 0)', scope).evaluate(T0)).toBe(1);
  });

  it('treats a Bad or missing value as unknown, with three-valued and/or', () => {
    const { scope, seriesOf } = scopeWith();
    seriesOf('t1').update(10, true, T0);
    seriesOf('t2').update(4, false, T0); // quality Bad
    expect(compileExpression('T2 > 1', scope).evaluate(T0)).toBeNaN();
    expect(compileExpression('value > 100 and T2 > 1', scope).evaluate(T0)).toBe(0);
    expect(compileExpression('value > 1 and T2 > 1', scope).evaluate(T0)).toBeNaN();
    expect(compileExpression('value > 1 or T2 > 1', scope).evaluate(T0)).toBe(1);
    expect(compileExpression('Flow + 1', scopeWith('d2').scope).evaluate(T0)).toBeNaN(); // never updated
  });

  it('averages over time, rates and deltas over a window, and ages', () => {
    const { scope, seriesOf } = scopeWith();
    const avg = compileExpression('avg(value, 10)', scope);
    const rate = compileExpression('rate(value, 10)', scope);
    const delta = compileExpression('delta(T1, 10)', scope);
    const age = compileExpression('age(value)', scope);
    expect(avg.timeDependent && rate.timeDependent && age.timeDependent).toBe(true);
    const t1 = seriesOf('t1');
    t1.update(0, true, T0);
    t1.update(10, true, T0 + 5_000);
    // 0 for 5 s, 10 for 5 s
    expect(avg.evaluate(T0 + 10_000)).toBe(5);
    expect(rate.evaluate(T0 + 10_000)).toBe(1);
    expect(delta.evaluate(T0 + 10_000)).toBe(10);
    // The tag stops updating: the old value leaves the window, the average becomes 10, the rate 0.
    expect(avg.evaluate(T0 + 20_000)).toBe(10);
    expect(rate.evaluate(T0 + 20_000)).toBe(0);
    expect(age.evaluate(T0 + 20_000)).toBe(15);
  });
});
