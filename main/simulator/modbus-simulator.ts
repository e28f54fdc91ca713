// A Modbus slave simulator: slaves with register maps and waveforms, served over TCP and/or RTU
// (a serial port or one end of a pty pair) at the same time. It serves the demo profile of
// `npm run serve`, the benchmarks and the tests.
import { startModbusRtuServer, type ModbusRtuServer, type WireTiming } from './modbus-rtu-server.ts';
import { startModbusTcpServer, type ModbusTcpServer } from './modbus-tcp-server.ts';
import { SimulatedSlave, type SimulatedSlaveConfig } from './simulated-slave.ts';

export interface ModbusSimulatorConfig {
  slaves: SimulatedSlaveConfig[];
  /** serve Modbus TCP; port 0 picks a free port (loopback by default) */
  tcp?: { host?: string; port?: number };
  /** serve Modbus RTU on a serial port */
  rtu?: { path: string; baudRate?: number; wireTiming?: WireTiming };
  /** how often waveforms move, in ms (default 100) */
  tickMs?: number;
}

export interface ModbusSimulator {
  /** the TCP port actually listened on */
  tcpPort: number | undefined;
  tcpHost: string | undefined;
  slave(unitId: number): SimulatedSlave;
  stop(): Promise<void>;
}

export async function startModbusSimulator(config: ModbusSimulatorConfig): Promise<ModbusSimulator> {
  const slaves = new Map<number, SimulatedSlave>();
  for (const slaveConfig of config.slaves) {
    if (slaves.has(slaveConfig.unitId))
      throw new Error(`the simulator has two slaves with unit id ${slaveConfig.unitId}`);
    slaves.set(slaveConfig.unitId, new SimulatedSlave(slaveConfig));
  }
  const started = performance.now();
  const ticker = setInterval(() => {
    const elapsed = performance.now() - started;
    for (const slave of slaves.values()) slave.tick(elapsed);
  }, config.tickMs ?? 100);
  ticker.unref();

  let tcp: ModbusTcpServer | undefined;
  let rtu: ModbusRtuServer | undefined;
  try {
    if (config.tcp) {
      tcp = await startModbusTcpServer(slaves, { host: config.tcp.host ?? '127.0.0.1', port: config.tcp.port ?? 0 });
    }
    if (config.rtu) rtu = await startModbusRtuServer(slaves, config.rtu);
  } catch (error) {
    clearInterval(ticker);
    await tcp?.close();
    throw error;
  }

  return {
    tcpPort: tcp?.port,
    tcpHost: tcp?.host,
    slave(unitId) {
      const slave = slaves.get(unitId);
      if (!slave) throw new Error(`the simulator has no slave ${unitId}`);
      return slave;
    },
    async stop() {
      clearInterval(ticker);
      await Promise.all([tcp?.close(), rtu?.close()]);
    },
  };
}
