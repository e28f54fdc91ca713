// The function codes the Modbus panel offers (those commissioning.modbus accepts) and the table
// each one reads or writes.
/** The four Modbus tables, named like the tag codec names them. */
export type RegisterTable = 'coil' | 'discrete-input' | 'input-register' | 'holding-register';

export const FUNCTION_CODES = [1, 2, 3, 4, 5, 6, 15, 16] as const;
export type FunctionCode = (typeof FUNCTION_CODES)[number];

export const TABLE_OF: Readonly<Record<FunctionCode, RegisterTable>> = {
  1: 'coil',
  2: 'discrete-input',
  3: 'holding-register',
  4: 'input-register',
  5: 'coil',
  6: 'holding-register',
  15: 'coil',
  16: 'holding-register',
};

export const isWrite = (fc: FunctionCode): boolean => fc === 5 || fc === 6 || fc === 15 || fc === 16;

/** the most values one read may ask for */
export const MAX_COUNT: Readonly<Partial<Record<FunctionCode, number>>> = { 1: 2000, 2: 2000, 3: 125, 4: 125 };
