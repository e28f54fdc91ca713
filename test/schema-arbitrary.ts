// fast-check arbitraries from a procedure's zod input schema, by way of its JSON Schema
// (zod 4's z.toJSONSchema: a public format, where zod's internals are not). Mostly inputs of the
// right shape, within the schema's bounds, but each value is sometimes replaced by anything at
// all, and text is often hostile: NUL, lone surrogates, SQL, formula starts, very long strings.
import fc from 'fast-check';
import { z } from 'zod';

type JsonSchema = {
  type?: string | string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: JsonSchema;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  $ref?: string;
};

const HOSTILE_TEXT = [
  "Robert'); DROP TABLE devices;--",
  "' OR '1'='1",
  '=HYPERLINK("http://example.invalid")',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff tail',
  '💥🏭',
  '   ',
  '',
  '\r\n',
  '%_\\',
  'x'.repeat(300),
];

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ withDate: true, withNullPrototype: true, withBigInt: true }),
  fc.jsonValue(),
  fc.constantFrom(undefined, null, Number.NaN, Number.POSITIVE_INFINITY, -0, 2 ** 53, new Date(Number.NaN)),
);

function text(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return fc.oneof(fc.uuid(), fc.constant('00000000-0000-0000-0000-000000000000'));
  if (schema.format === 'email') return fc.emailAddress();
  const bounded = fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) });
  return fc.oneof(
    { arbitrary: bounded, weight: 5 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 2 },
    { arbitrary: fc.constantFrom(...HOSTILE_TEXT), weight: 2 },
  );
}

function number(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? schema.exclusiveMinimum;
  const max = schema.maximum ?? schema.exclusiveMaximum;
  const inRange = integer
    ? fc.integer({ min: Math.max(min ?? -(2 ** 31), -(2 ** 31)), max: Math.min(max ?? 2 ** 31, 2 ** 31) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  return fc.oneof({ arbitrary: inRange, weight: 6 }, { arbitrary: fc.double(), weight: 1 });
}

function shaped(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.$ref) return fc.jsonValue();
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return fc.oneof(...options.map(fuzzed));
  if (schema.allOf?.[0]) return shaped(schema.allOf[0]);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return text(schema);
    case 'integer':
      return number(schema, true);
    case 'number':
      return number(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(schema.items ? fuzzed(schema.items) : anyValue, {
        maxLength: Math.min(schema.maxItems ?? 4, 4),
      });
    case 'object': {
      if (!schema.properties) return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 4 });
      const record = Object.fromEntries(Object.entries(schema.properties).map(([key, value]) => [key, fuzzed(value)]));
      return fc.record(record, { requiredKeys: schema.required ?? [] });
    }
    default:
      // No type: zod said "anything" (a date, an unrepresentable transform): dates are likely.
      return fc.oneof(fc.date({ noInvalidDate: false }), anyValue);
  }
}

/** The schema's shape most of the time, anything at all now and then. */
function fuzzed(schema: JsonSchema): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: shaped(schema), weight: 12 }, { arbitrary: anyValue, weight: 1 });
}

/** Inputs for a procedure with these input parsers (none: anything, which it must ignore). */
export function inputArbitrary(inputs: unknown[]): fc.Arbitrary<unknown> {
  const [first] = inputs;
  if (!first) return anyValue;
  const schema = z.toJSONSchema(first as z.ZodType, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return fc.oneof({ arbitrary: shaped(schema), weight: 9 }, { arbitrary: anyValue, weight: 1 });
}
