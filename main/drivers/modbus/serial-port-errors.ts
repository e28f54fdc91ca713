// Turns the errors serialport raises when opening a port into sentences the engineer can act on.
// The native binding words them as "Error: Permission denied, cannot open /dev/ttyUSB0",
// "Error Resource temporarily unavailable Cannot lock port" (Linux, another process holds it),
// "Error: No such file or directory, cannot open …", and on Windows "Opening COM3: Access denied"
// (another program has it) or "Opening COM9: File not found".
import { DriverError } from '../driver-contract.ts';

export function describeSerialOpenError(error: Error, path: string, platform = process.platform): DriverError {
  const text = error.message;
  if (platform === 'win32' && /Access denied/i.test(text)) {
    return new DriverError(
      'access',
      `${path} is in use by another program (Windows reports "access denied"): close the other program (a terminal, Modbus Poll, another gateway) or pick another port`,
      'endpoint',
      { cause: error },
    );
  }
  if (/Permission denied|EACCES/i.test(text)) {
    return new DriverError(
      'access',
      `Permission denied on ${path}: add your user to the dialout group (sudo usermod -aG dialout $USER), then log out and back in`,
      'endpoint',
      { cause: error },
    );
  }
  if (/Cannot lock port|Resource temporarily unavailable|EBUSY|resource busy/i.test(text)) {
    return new DriverError(
      'access',
      `${path} is in use by another program: close the other program (a terminal, Modbus Poll, another gateway) or pick another port`,
      'endpoint',
      { cause: error },
    );
  }
  if (/No such file or directory|ENOENT|File not found/i.test(text)) {
    // Not a config error only: a pulled USB adapter looks the same, and it may come back.
    return new DriverError(
      'unreachable',
      `${path} does not exist: check that the USB-RS485 adapter is plugged in, and pick the port from the list`,
      'endpoint',
      { cause: error },
    );
  }
  return new DriverError('unreachable', `Cannot open ${path}: ${text}`, 'endpoint', { cause: error });
}
