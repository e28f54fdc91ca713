// serialport is a native module (N-API prebuilds for Linux, Windows and macOS). It is loaded on
// first use, so that a machine where it cannot load still runs every other driver, and the RTU
// driver can say why it is unavailable.
import type * as SerialPortModuleType from 'serialport';

type SerialPortModule = typeof SerialPortModuleType;

let loading: Promise<SerialPortModule> | undefined;

export function loadSerialPort(): Promise<SerialPortModule> {
  loading ??= import('serialport').catch((error: unknown) => {
    loading = undefined;
    throw new Error(
      `Serial port support (the serialport native module) could not be loaded on this machine: ${(error as Error).message}`,
      { cause: error },
    );
  });
  return loading;
}
