// The Modbus panel's display formats: each register as unsigned, signed, hex and binary, and each
// pair of registers as float32 / int32 / uint32 in the four word orders, side by side — so the
// engineer sees at a glance which reading matches the device's display. Same orders as the tag
// codec (main/drivers/modbus/register-codec.ts; a test compares the two).

export const WORD_ORDERS = ['ABCD', 'CDAB', 'BADC', 'DCBA'] as const;
export type WordOrder = (typeof WORD_ORDERS)[number];

export interface RegisterFormats {
  unsigned: number;
  signed: number;
  hex: string;
  binary: string;
}

export interface PairFormats {
  order: WordOrder;
  float32: number;
  int32: number;
  uint32: number;
}

export function registerFormats(word: number): RegisterFormats {
  return {
    unsigned: word,
    signed: word >= 0x8000 ? word - 0x10000 : word,
    hex: `0x${word.toString(16).toUpperCase().padStart(4, '0')}`,
    binary: word
      .toString(2)
      .padStart(16, '0')
      .replace(/(\d{4})(?=\d)/g, '$1 '),
  };
}

/** The 4 bytes of two registers, as on the wire (A B C D), in the big-endian order `order` names. */
function bigEndian(first: number, second: number, order: WordOrder): number[] {
  const [a, b, c, d] = [first >> 8, first & 0xff, second >> 8, second & 0xff];
  switch (order) {
    case 'ABCD':
      return [a, b, c, d];
    case 'CDAB':
      return [c, d, a, b];
    case 'BADC':
      return [b, a, d, c];
    case 'DCBA':
      return [d, c, b, a];
  }
}

/** The registers at `index` and `index + 1` as 32-bit values, in every word order. */
export function pairFormats(first: number, second: number): PairFormats[] {
  return WORD_ORDERS.map((order) => {
    const view = new DataView(new Uint8Array(bigEndian(first, second, order)).buffer);
    return { order, float32: view.getFloat32(0), int32: view.getInt32(0), uint32: view.getUint32(0) };
  });
}

/** A float as the display shows it: up to 7 significant digits, exponent for the extremes. */
export function formatFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+∞' : '−∞';
  if (value !== 0 && (Math.abs(value) >= 1e9 || Math.abs(value) < 1e-6)) return value.toExponential(4);
  return String(Number(value.toPrecision(7)));
}

/**
 * Registers or raw bytes typed by a person → register values. Accepts decimal ("16968 0 250"),
 * hex words ("0x4248 0x0000"), or raw bytes as hex ("42 48 00 00" / "42480000", an even number of
 * bytes; with `bytes: true`). Separators: spaces, commas, semicolons, new lines.
 */
export function parseRegisters(
  text: string,
  options: { bytes?: boolean } = {},
): { ok: true; registers: number[] } | { ok: false; problem: 'empty' | 'bad' | 'odd' | 'tooMany'; token?: string } {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, problem: 'empty' };
  if (options.bytes) {
    const hex = trimmed.replace(/0x/gi, '').replace(/[\s,;:-]+/g, '');
    const bad = /[^0-9a-fA-F]/.exec(hex);
    if (bad) return { ok: false, problem: 'bad', token: bad[0] };
    if (hex.length % 4 !== 0) return { ok: false, problem: 'odd' };
    const registers: number[] = [];
    for (let i = 0; i < hex.length; i += 4) registers.push(Number.parseInt(hex.slice(i, i + 4), 16));
    return registers.length > 125 ? { ok: false, problem: 'tooMany' } : { ok: true, registers };
  }
  const registers: number[] = [];
  for (const token of trimmed.split(/[\s,;]+/)) {
    const value = /^0x[0-9a-f]{1,4}$/i.test(token) ? Number.parseInt(token.slice(2), 16) : Number(token);
    if (!Number.isInteger(value) || value < -32768 || value > 0xffff) {
      return { ok: false, problem: 'bad', token };
    }
    registers.push(value < 0 ? value + 0x10000 : value);
  }
  return registers.length > 125 ? { ok: false, problem: 'tooMany' } : { ok: true, registers };
}
