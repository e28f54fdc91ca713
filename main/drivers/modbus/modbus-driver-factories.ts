// The built-in Modbus TCP and Modbus RTU drivers as the driver manager and driver_registry see
// them. Both share one line pool, which the commissioning tools use as well.
import type { DriverFactory } from '../driver-contract.ts';
import { modbusCapabilities, ModbusDriver } from './modbus-driver.ts';
import type { ModbusLinePool } from './modbus-line-pool.ts';
import { loadSerialPort } from './serial-port-module.ts';

export const MODBUS_DRIVER_VERSION = '1.0.0';

export function modbusDriverFactories(pool: ModbusLinePool): DriverFactory[] {
  return [
    {
      protocol: 'ModbusTcp',
      name: 'Modbus TCP',
      version: MODBUS_DRIVER_VERSION,
      description: 'Modbus TCP client (modbus-serial): several connections, unit ids behind gateways, block reads',
      capabilities: modbusCapabilities('ModbusTcp'),
      unavailableReason: () => Promise.resolve(undefined),
      create: () => new ModbusDriver('ModbusTcp', pool),
    },
    {
      protocol: 'ModbusRtu',
      name: 'Modbus RTU',
      version: MODBUS_DRIVER_VERSION,
      description: 'Modbus RTU master on a serial port (modbus-serial over serialport): several slaves per line',
      capabilities: modbusCapabilities('ModbusRtu'),
      unavailableReason: () =>
        loadSerialPort().then(
          () => undefined,
          (error: Error) => error.message,
        ),
      create: () => new ModbusDriver('ModbusRtu', pool),
    },
  ];
}
