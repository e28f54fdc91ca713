// Opens a serial port with the gateway's SerialLine and prints what the user would read, as
// JSON. Run as another user by the permission test: `node --import tsx open-serial-line.ts PATH`.
import { DriverError } from '../../main/drivers/driver-contract.ts';
import { SerialLine } from '../../main/drivers/modbus/serial-line.ts';

const path = process.argv[2] ?? '';
const line = new SerialLine(path, { baudRate: 19200, dataBits: 8, parity: 'even', stopBits: 1 });
try {
  await line.open();
  await line.close();
  console.log(JSON.stringify({ opened: true }));
} catch (error) {
  const e = error as DriverError;
  console.log(
    JSON.stringify({
      opened: false,
      driverError: e instanceof DriverError,
      kind: e.kind,
      field: e.field,
      message: e.message,
    }),
  );
}
