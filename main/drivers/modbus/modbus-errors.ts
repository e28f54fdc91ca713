// What went wrong with one Modbus request, as a quality reason and a sentence. modbus-serial
// reports failures as plain Errors: a TransactionTimedOutError (errno ETIMEDOUT), "CRC error",
// "Data length error, expected N got M", "Unexpected data error, expected address/code …", an
// Error with `modbusCode` for an exception answer, and PortNotOpenError ("Port Not Open"). Our
// lines add RequestTimeoutError and LineClosedError.
import { QualityReason } from '../../../proto/generated/frame.ts';

/** Exception codes of the Modbus Application Protocol v1.1b3, §7. */
export const EXCEPTION_NAMES: Readonly<Record<number, string>> = {
  1: 'Illegal function',
  2: 'Illegal data address',
  3: 'Illegal data value',
  4: 'Server device failure',
  5: 'Acknowledge',
  6: 'Server device busy',
  7: 'Negative acknowledge',
  8: 'Memory parity error',
  10: 'Gateway path unavailable',
  11: 'Gateway target device failed to respond',
};

export const ILLEGAL_DATA_ADDRESS = 2;

export function exceptionName(code: number): string {
  return EXCEPTION_NAMES[code] ?? `Unknown exception ${code}`;
}

export interface ModbusFailure {
  reason: QualityReason;
  /** the exception code, 0 otherwise */
  code: number;
  message: string;
  /** a valid answer came back (an exception answer from the addressed device) */
  answered: boolean;
  /** the port or connection is gone: reconnect */
  connectionLost: boolean;
}

/** No answer within the request's timeout. */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  readonly errno = 'ETIMEDOUT';
  constructor() {
    super('Timed out');
  }
}

/** Raised by a line whose port or socket closed while requests were waiting. */
export class LineClosedError extends Error {
  override readonly name = 'LineClosedError';
}

/**
 * Classifies an error of one request. `target` names what was asked, e.g.
 * "slave 3 on /dev/ttyUSB0, holding registers 40001…40010".
 */
export function classifyModbusError(error: unknown, target: string): ModbusFailure {
  const e = error as { name?: string; message?: string; errno?: string; modbusCode?: number };
  const text = e?.message ?? String(error);
  if (typeof e?.modbusCode === 'number') {
    const code = e.modbusCode;
    // 10/11 come from a gateway: the device behind it did not answer.
    const fromGateway = code === 10 || code === 11;
    return {
      reason: QualityReason.QUALITY_REASON_EXCEPTION,
      code,
      message: `${target}: the device answered exception ${code} (${exceptionName(code)})`,
      answered: !fromGateway,
      connectionLost: false,
    };
  }
  if (error instanceof RequestTimeoutError || e?.name === 'TransactionTimedOutError' || e?.errno === 'ETIMEDOUT') {
    return {
      reason: QualityReason.QUALITY_REASON_TIMEOUT,
      code: 0,
      message: `${target}: no answer in time (check the slave id, wiring, baud rate and parity)`,
      answered: false,
      connectionLost: false,
    };
  }
  if (text === 'CRC error') {
    return {
      reason: QualityReason.QUALITY_REASON_CRC_ERROR,
      code: 0,
      message: `${target}: the answer was corrupted (CRC error: check cabling, termination and baud rate)`,
      answered: false,
      connectionLost: false,
    };
  }
  if (/^(Data length error|Unexpected data error)/.test(text)) {
    return {
      reason: QualityReason.QUALITY_REASON_MALFORMED_RESPONSE,
      code: 0,
      message: `${target}: the answer does not fit the request (${text.charAt(0).toLowerCase()}${text.slice(1)})`,
      answered: false,
      connectionLost: false,
    };
  }
  if (error instanceof LineClosedError || e?.name === 'PortNotOpenError' || text === 'Port Not Open') {
    return {
      reason: QualityReason.QUALITY_REASON_PORT_CLOSED,
      code: 0,
      message: `${target}: ${error instanceof LineClosedError ? text : 'the port is closed'}`,
      answered: false,
      connectionLost: true,
    };
  }
  return {
    reason: QualityReason.QUALITY_REASON_DEVICE_FAILURE,
    code: 0,
    message: `${target}: ${text}`,
    answered: false,
    connectionLost: false,
  };
}
