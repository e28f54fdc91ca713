// The alert language: checks a parsed condition_expression against a whitelist and compiles it
// into plain closures. Nothing in an expression can reach JavaScript: there is no property
// access, no `this`, no strings except tag names, and every name is looked up in the tags the
// gateway knows (a Map, so `constructor` or `__proto__` is just an unknown tag). No eval, no
// Function.
//
// Values are numbers; booleans are 1 and 0; NaN means "unknown" (no value yet, quality Bad) and
// makes the whole condition unknown, so a rule holds its state instead of firing or clearing on
// missing data. `and`/`or` use three-valued logic: `false and unknown` is false.
import type { Expression } from 'jsep';
import { ExpressionError, parseExpression, type PositionedNode } from './expression-parser.ts';

/** What the engine gives the compiler for each tag an expression names. */
export interface TagSignal {
  /** the current value; NaN when unknown or Bad */
  value(): number;
  /** time-weighted average over the last `windowMs`; NaN when unknown */
  average(windowMs: number, nowMs: number): number;
  /** the value at `atMs` (the oldest kept value if the history is shorter) and its time */
  valueAt(atMs: number): { value: number; atMs: number } | undefined;
  /** ms since the tag's last update (of any quality) */
  ageMs(nowMs: number): number;
}

export interface TagReference {
  /** device name, when the expression named one: tag("PLC-001", "T1") */
  device?: string;
  name: string;
}

export interface ExpressionScope {
  /** the rule's own tag, for `value`; undefined for a rule without a tag */
  self?: TagSignal;
  /** a tag by name, or a sentence saying why there is none */
  resolve(reference: TagReference): TagSignal | string;
  /** the expression keeps this much history of a tag (windowed functions) */
  retain(signal: TagSignal, windowMs: number): void;
}

export type ExpressionType = 'number' | 'boolean';
export type Evaluate = (nowMs: number) => number;

export interface CompiledExpression {
  type: ExpressionType;
  evaluate: Evaluate;
  /** every tag the expression reads (including `value`): a frame for any of them re-evaluates it */
  signals: ReadonlySet<TagSignal>;
  /** whether the result can change with time alone (windows, age), so it is evaluated on a timer */
  timeDependent: boolean;
}

/** The longest window a function may look back: the engine keeps that much history per tag. */
export const MAX_WINDOW_SECONDS = 24 * 3600;

type Node = PositionedNode;
interface Typed {
  type: ExpressionType;
  evaluate: Evaluate;
}

const ARITHMETIC: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
  '**': (a, b) => a ** b,
};
const COMPARISON: Record<string, (a: number, b: number) => boolean> = {
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};
const LOGICAL = new Set(['and', 'or', '&&', '||']);
const SUGGESTIONS: Record<string, string> = {
  '===': 'use == to compare',
  '!==': 'use != to compare',
  '&': 'use "and"',
  '|': 'use "or"',
  '^': 'use ** for powers',
  '??': 'there is no "??"; every unknown value makes the condition unknown',
};

class Compiler {
  readonly signals = new Set<TagSignal>();
  timeDependent = false;

  constructor(
    private readonly source: string,
    private readonly scope: ExpressionScope,
  ) {}

  fail(node: Node, problem: string): never {
    throw new ExpressionError((node.start ?? this.locate(node)) + 1, problem);
  }

  /** jsep gives no position for numbers and operators: find the operator between its operands. */
  private locate(node: Node): number {
    if (node.type === 'BinaryExpression') {
      const left = node.left as Node;
      const from = left.end ?? left.start ?? 0;
      const at = this.source.indexOf(String(node.operator), from);
      if (at >= 0) return at;
    }
    if (node.type === 'Compound' || node.type === 'SequenceExpression') {
      const first = ((node.body ?? node.expressions) as Node[])[0];
      const from = first?.end ?? 0;
      return from + (this.source.slice(from).length - this.source.slice(from).trimStart().length);
    }
    if (node.type === 'Literal') {
      const at = this.source.indexOf(String(node.raw));
      if (at >= 0) return at;
    }
    return 0;
  }

  compile(node: Node): Typed {
    switch (node.type) {
      case 'Literal':
        return this.literal(node);
      case 'Identifier':
        return this.identifier(node);
      case 'UnaryExpression':
        return this.unary(node);
      case 'BinaryExpression':
        return this.binary(node);
      case 'CallExpression':
        return this.call(node);
      case 'MemberExpression':
        return this.fail(
          node,
          'property access ("." or "[]") is not allowed; write a tag whose name has a dot as tag("Boiler.Temp")',
        );
      case 'ThisExpression':
        return this.fail(node, '"this" is not allowed');
      case 'ConditionalExpression':
        return this.fail(node, '"? :" is not supported; combine conditions with and/or');
      case 'Compound':
      case 'SequenceExpression':
        return this.fail(node, 'one expression only: remove the "," or ";"');
      case 'ArrayExpression':
        return this.fail(node, 'lists ("[ ]") are not allowed');
      default:
        return this.fail(node, `"${node.type}" is not allowed`);
    }
  }

  private literal(node: Node): Typed {
    const value = node.value;
    if (typeof value === 'number') return { type: 'number', evaluate: () => value };
    if (typeof value === 'boolean') {
      const n = value ? 1 : 0;
      return { type: 'boolean', evaluate: () => n };
    }
    if (typeof value === 'string') {
      return this.fail(node, `text ("${value}") is only allowed as a tag name inside tag("…")`);
    }
    return this.fail(node, `"${String(node.raw)}" is not allowed`);
  }

  private identifier(node: Node): Typed {
    const name = String(node.name);
    if (name === 'value') {
      if (!this.scope.self) return this.fail(node, '"value" needs a rule that watches a tag; name the tag instead');
      return this.read(this.scope.self);
    }
    return this.read(this.signal(node, { name }));
  }

  private signal(node: Node, reference: TagReference): TagSignal {
    const found = this.scope.resolve(reference);
    if (typeof found === 'string') return this.fail(node, found);
    this.signals.add(found);
    return found;
  }

  private read(signal: TagSignal): Typed {
    this.signals.add(signal);
    return { type: 'number', evaluate: () => signal.value() };
  }

  private expect(node: Node, type: ExpressionType, role: string): Evaluate {
    const typed = this.compile(node);
    if (typed.type !== type) {
      const got = typed.type === 'boolean' ? 'a condition (true/false)' : 'a number';
      this.fail(node, `${role} must be ${type === 'boolean' ? 'a condition (true/false)' : 'a number'}, not ${got}`);
    }
    return typed.evaluate;
  }

  private unary(node: Node): Typed {
    const operator = String(node.operator);
    const argument = node.argument as Node;
    if (operator === 'not' || operator === '!') {
      const inner = this.expect(argument, 'boolean', `the operand of "${operator}"`);
      return { type: 'boolean', evaluate: (now) => 1 - inner(now) };
    }
    if (operator === '-') {
      const inner = this.expect(argument, 'number', 'the operand of "-"');
      return { type: 'number', evaluate: (now) => -inner(now) };
    }
    if (operator === '+') {
      return { type: 'number', evaluate: this.expect(argument, 'number', 'the operand of "+"') };
    }
    return this.fail(node, `the operator "${operator}" is not supported`);
  }

  private binary(node: Node): Typed {
    const operator = String(node.operator);
    const left = node.left as Node;
    const right = node.right as Node;
    const arithmetic = ARITHMETIC[operator];
    if (arithmetic) {
      const a = this.expect(left, 'number', `the left side of "${operator}"`);
      const b = this.expect(right, 'number', `the right side of "${operator}"`);
      return { type: 'number', evaluate: (now) => arithmetic(a(now), b(now)) };
    }
    const comparison = COMPARISON[operator];
    if (comparison) {
      const a = this.expect(left, 'number', `the left side of "${operator}"`);
      const b = this.expect(right, 'number', `the right side of "${operator}"`);
      return {
        type: 'boolean',
        evaluate: (now) => {
          const x = a(now);
          const y = b(now);
          if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
          return comparison(x, y) ? 1 : 0;
        },
      };
    }
    if (LOGICAL.has(operator)) {
      const a = this.expect(left, 'boolean', `the left side of "${operator}"`);
      const b = this.expect(right, 'boolean', `the right side of "${operator}"`);
      const isAnd = operator === 'and' || operator === '&&';
      // Three-valued: a known deciding side wins over an unknown other side.
      const decider = isAnd ? 0 : 1;
      return {
        type: 'boolean',
        evaluate: (now) => {
          const x = a(now);
          if (x === decider) return decider;
          const y = b(now);
          if (y === decider) return decider;
          return Number.isNaN(x) || Number.isNaN(y) ? NaN : 1 - decider;
        },
      };
    }
    const hint = SUGGESTIONS[operator];
    return this.fail(node, `the operator "${operator}" is not supported${hint ? `: ${hint}` : ''}`);
  }

  private call(node: Node): Typed {
    const callee = node.callee as Node;
    const args = (node.arguments as Node[] | undefined) ?? [];
    if (callee.type !== 'Identifier') return this.fail(node, 'only the listed functions can be called');
    const name = String(callee.name);
    switch (name) {
      case 'tag':
        return this.read(this.tagArgument(node, args, 'tag'));
      case 'abs': {
        this.arity(node, name, args, 1, 1);
        const x = this.expect(args[0] as Node, 'number', 'the argument of abs');
        return { type: 'number', evaluate: (now) => Math.abs(x(now)) };
      }
      case 'min':
      case 'max': {
        this.arity(node, name, args, 2, 16);
        const xs = args.map((arg, i) => this.expect(arg, 'number', `argument ${i + 1} of ${name}`));
        const pick = name === 'min' ? Math.min : Math.max;
        return { type: 'number', evaluate: (now) => pick(...xs.map((x) => x(now))) };
      }
      case 'avg':
      case 'rate':
      case 'delta':
        return this.windowed(node, name, args);
      case 'age': {
        this.arity(node, name, args, 1, 1);
        const signal = this.signalArgument(args[0] as Node, name);
        this.timeDependent = true;
        return { type: 'number', evaluate: (now) => signal.ageMs(now) / 1000 };
      }
      default:
        return this.fail(callee, `unknown function "${name}"; the functions are abs, min, max, avg, rate, delta, age`);
    }
  }

  private arity(node: Node, name: string, args: Node[], min: number, max: number): void {
    if (args.length < min || args.length > max) {
      const wanted = min === max ? `${min}` : `${min} to ${max}`;
      this.fail(node, `${name} takes ${wanted} argument${max === 1 ? '' : 's'}, not ${args.length}`);
    }
  }

  /** A windowed function's first argument: `value`, a tag's name, or tag("…"). */
  private signalArgument(arg: Node, fn: string): TagSignal {
    if (arg.type === 'Identifier') {
      if (arg.name === 'value') {
        if (!this.scope.self) return this.fail(arg, '"value" needs a rule that watches a tag');
        this.signals.add(this.scope.self);
        return this.scope.self;
      }
      return this.signal(arg, { name: String(arg.name) });
    }
    if (
      arg.type === 'CallExpression' &&
      (arg.callee as Node).type === 'Identifier' &&
      (arg.callee as Node).name === 'tag'
    ) {
      return this.tagArgument(arg, (arg.arguments as Node[] | undefined) ?? [], 'tag');
    }
    return this.fail(arg, `the first argument of ${fn} must be a tag (value, a tag's name or tag("…"))`);
  }

  private tagArgument(node: Node, args: Node[], name: string): TagSignal {
    this.arity(node, name, args, 1, 2);
    const texts = args.map((arg) => {
      if (arg.type !== 'Literal' || typeof arg.value !== 'string') {
        return this.fail(arg, 'tag("…") takes the tag\'s name in quotes, optionally after the device\'s name');
      }
      return arg.value;
    });
    const reference: TagReference =
      texts.length === 2 ? { device: texts[0], name: texts[1] as string } : { name: texts[0] as string };
    return this.signal(node, reference);
  }

  private windowed(node: Node, name: 'avg' | 'rate' | 'delta', args: Node[]): Typed {
    if (args.length !== 2) {
      this.fail(node, `${name} takes a tag and a window in seconds, e.g. ${name}(value, 60)`);
    }
    const signal = this.signalArgument(args[0] as Node, name);
    const windowNode = args[1] as Node;
    const seconds = windowNode.type === 'Literal' ? windowNode.value : undefined;
    if (typeof seconds !== 'number' || !(seconds > 0) || seconds > MAX_WINDOW_SECONDS) {
      this.fail(
        windowNode,
        `the window of ${name} must be a number of seconds above 0 and at most ${MAX_WINDOW_SECONDS}`,
      );
    }
    const windowMs = seconds * 1000;
    this.scope.retain(signal, windowMs);
    this.timeDependent = true;
    if (name === 'avg') return { type: 'number', evaluate: (now) => signal.average(windowMs, now) };
    const perSecond = name === 'rate';
    return {
      type: 'number',
      evaluate: (now) => {
        const current = signal.value();
        const past = signal.valueAt(now - windowMs);
        if (!past || Number.isNaN(current)) return NaN;
        const change = current - past.value;
        if (!perSecond) return change;
        const spanSeconds = (now - past.atMs) / 1000;
        return spanSeconds > 0 ? change / spanSeconds : NaN;
      },
    };
  }
}

/** Checks and compiles an expression; throws an ExpressionError with position and problem. */
export function compileExpression(source: string, scope: ExpressionScope): CompiledExpression {
  const tree = parseExpression(source);
  const compiler = new Compiler(source, scope);
  const typed = compiler.compile(tree as Expression);
  return {
    type: typed.type,
    evaluate: typed.evaluate,
    signals: compiler.signals,
    timeDependent: compiler.timeDependent,
  };
}
