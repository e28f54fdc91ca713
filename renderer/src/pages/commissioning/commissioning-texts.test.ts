// The commissioning screens' texts made from a value (function codes, exception codes, register
// tables, tabs, certificate stores…) exist in English; translations.test.ts checks zh-CN has them.
import { describe, expect, it } from 'vitest';
import { EXCEPTION_NAMES } from '../../../../main/drivers/modbus/modbus-errors.ts';
import { en } from '../../i18n/en.ts';
import { FUNCTION_CODES } from './modbus-function-codes.ts';

const texts = en.commissioning as unknown as Record<string, Record<string, unknown>>;

describe('commissioning texts', () => {
  it('names every function code, exception code and register table', () => {
    for (const fc of FUNCTION_CODES) expect(texts.functionCodes?.[fc], `FC${fc}`).toBeTruthy();
    // the same names as the driver's, which the gateway's own sentences use
    for (const [code, name] of Object.entries(EXCEPTION_NAMES)) expect(texts.exceptions?.[code]).toBe(name);
    for (const table of ['coil', 'discrete-input', 'input-register', 'holding-register']) {
      expect(texts.tables?.[table], table).toBeTruthy();
    }
  });

  it('has the words for every tab, parity, certificate action and traffic outcome', () => {
    for (const tab of ['modbus', 'decode', 'opcua', 'mqtt']) expect(texts.tabs?.[tab]).toBeTruthy();
    for (const parity of ['none', 'even', 'odd'])
      expect((texts.modbus?.parities as Record<string, string>)[parity]).toBeTruthy();
    for (const problem of ['empty', 'bad', 'odd', 'tooMany']) {
      expect((texts.modbus?.valuesProblem as Record<string, string>)[problem]).toBeTruthy();
    }
    for (const kind of ['trust', 'remove']) {
      for (const suffix of ['', 'Title', 'Text']) expect(texts.certificates?.[`${kind}${suffix}`]).toBeTruthy();
    }
    for (const store of ['trusted', 'rejected'])
      expect((texts.certificates?.stores as Record<string, string>)[store]).toBeTruthy();
    for (const reason of ['timeout', 'crc', 'portClosed', 'notConnected']) expect(texts.log?.[reason]).toBeTruthy();
  });
});
