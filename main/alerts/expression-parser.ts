// Parsing a rule's condition_expression: jsep (a small, widely used expression parser that only
// builds a syntax tree and never runs anything) configured for the alert language, with each
// token's position recorded so that a later check can say *where* a problem is.
//
// jsep's configuration is process-wide; this module is its only user and sets it up once.
import jsep, { type Expression } from 'jsep';

/** A problem in an expression, at a 1-based character position (what an editor shows). */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(
    readonly position: number,
    readonly problem: string,
  ) {
    super(`Position ${position}: ${problem}`);
  }
}

/** A jsep node with the 0-based [start, end) of its source text, when jsep reported it. */
export type PositionedNode = Expression & { start?: number; end?: number };

jsep.addBinaryOp('and', 2);
jsep.addBinaryOp('or', 1);
jsep.addUnaryOp('not');

// Token starts, pushed by 'gobble-token' and popped by 'after-token' (emptied after each parse).
// jsep returns numeric literals without running 'after-token', so no start is pushed for them.
const tokenStarts: number[] = [];
const PERIOD = 46;
const isNumberStart = (code: number): boolean => (code >= 48 && code <= 57) || code === PERIOD;

jsep.hooks.add('gobble-token', function () {
  if (!isNumberStart(this.code)) tokenStarts.push(this.index);
});
jsep.hooks.add('after-token', function (env) {
  const start = tokenStarts.pop();
  const node = env.node as PositionedNode | undefined;
  if (node && start !== undefined) {
    node.start = start;
    node.end = this.index;
  }
});

jsep.hooks.add('after-expression', function (env) {
  const node = env.node as PositionedNode | undefined;
  if (node && node.end === undefined) node.end = this.index;
});

function describeSyntaxError(description: string): string {
  if (description === 'Expected expression') return 'an expression is missing here';
  if (description.startsWith('Unclosed (')) return 'a "(" is never closed';
  if (description.startsWith('Unclosed quote')) return 'a quoted name is never closed';
  if (description.startsWith('Unexpected')) return `${description.toLowerCase().replace(/^unexpected/, 'unexpected')}`;
  return description.charAt(0).toLowerCase() + description.slice(1);
}

/** Parses `source` into a syntax tree, or throws an ExpressionError naming position and problem. */
export function parseExpression(source: string): PositionedNode {
  if (source.trim() === '') throw new ExpressionError(1, 'the expression is empty');
  try {
    return jsep(source) as PositionedNode;
  } catch (error) {
    const { index, description } = error as { index?: number; description?: string };
    if (typeof index !== 'number') throw error;
    throw new ExpressionError(index + 1, describeSyntaxError(description ?? String(error)));
  } finally {
    tokenStarts.length = 0;
  }
}
