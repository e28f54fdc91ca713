// The serial ports of this computer, for the port picker. On Linux serialport asks `udevadm`
// (package udev); without it the list fails, and the user is told so and can still type a path.
import { loadSerialPort } from './serial-port-module.ts';

export interface SerialPortInfo {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
  pnpId?: string;
}

export class SerialPortListError extends Error {
  override readonly name = 'SerialPortListError';
}

export async function listSerialPorts(): Promise<SerialPortInfo[]> {
  const { SerialPort } = await loadSerialPort().catch((error: Error) => {
    throw new SerialPortListError(error.message, { cause: error });
  });
  try {
    const ports = await SerialPort.list();
    return ports.map((port) => ({
      path: port.path,
      ...(port.manufacturer ? { manufacturer: port.manufacturer } : {}),
      ...(port.serialNumber ? { serialNumber: port.serialNumber } : {}),
      ...(port.vendorId ? { vendorId: port.vendorId } : {}),
      ...(port.productId ? { productId: port.productId } : {}),
      ...(port.pnpId ? { pnpId: port.pnpId } : {}),
    }));
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' && /udevadm/.test(`${e.message} ${(e as { path?: string }).path ?? ''}`)) {
      throw new SerialPortListError(
        'Listing serial ports needs the udevadm program (Debian/Ubuntu package "udev"), which is not installed: install udev, or type the port path (e.g. /dev/ttyUSB0)',
        { cause: error },
      );
    }
    throw new SerialPortListError(`Listing serial ports failed: ${e.message}; you can still type the port path`, {
      cause: error,
    });
  }
}
