// The demo profile of `npm run serve`: on a fresh data folder it creates two demo devices
// (a boiler and a pump skid, two unit ids behind one Modbus TCP endpoint) with their tags and a
// driver configuration, and on every start it runs the simulator that plays them on loopback, so
// the first thing an engineer sees is live values. Devices it made are marked created_by
// 'demo profile'; a data folder with other devices and no demo devices gets no demo.
import type { Database } from '../db/database.ts';
import type { Device } from '../db/repositories/devices-repository.ts';
import { repositories, type Repositories } from '../db/repositories/repositories.ts';
import type { NewTag } from '../db/repositories/tags-repository.ts';
import { startModbusSimulator, type ModbusSimulator } from './modbus-simulator.ts';
import type { SimulatedSlaveConfig } from './simulated-slave.ts';

export const DEMO_CREATED_BY = 'demo profile';
const DEMO_DRIVER_CONFIG = 'Demo Modbus TCP';

export interface DemoProfile {
  simulator: ModbusSimulator;
  /** the demo devices, with their endpoint pointing at the running simulator */
  devices: Device[];
  /** whether this start created them (a fresh data folder) */
  created: boolean;
  stop(): Promise<void>;
}

export interface DemoProfileOptions {
  /** loopback address to serve on (default 127.0.0.1) */
  host?: string;
  /** TCP port for the simulator; 0 (default) picks a free one */
  port?: number;
}

type DemoTag = Omit<NewTag, 'deviceId'>;

interface DemoDevice {
  name: string;
  description: string;
  location: string;
  slave: SimulatedSlaveConfig;
  tags: DemoTag[];
}

const DEMO_DEVICES: DemoDevice[] = [
  {
    name: 'Demo boiler',
    description: 'Simulated gas boiler (Modbus TCP unit 1)',
    location: 'Demo plant, boiler house',
    slave: {
      unitId: 1,
      points: [
        {
          address: '40001:CDAB',
          dataType: 'Float',
          waveform: { kind: 'sine', amplitude: 8, offset: 65, periodMs: 60_000 },
        },
        {
          address: '40003',
          dataType: 'Int16',
          waveform: { kind: 'randomWalk', start: 250, step: 3, min: 200, max: 320 },
        },
        {
          address: '00001',
          dataType: 'Boolean',
          waveform: { kind: 'step', values: [true, false], intervalMs: 20_000 },
        },
        { address: '40010', dataType: 'Int16', waveform: { kind: 'fixed', value: 70 } },
        { address: '40011', dataType: 'UInt16', waveform: { kind: 'step', values: [1, 3, 3, 1, 0], intervalMs: 7000 } },
      ],
    },
    tags: [
      {
        name: 'flow_temperature',
        address: '40001:CDAB',
        dataType: 'Float',
        unit: '°C',
        minValue: 0,
        maxValue: 110,
        deadband: 0.05,
        description: 'Flow temperature',
      },
      {
        name: 'pressure',
        address: '40003',
        dataType: 'Int16',
        unit: 'bar',
        scaling: 0.01,
        minValue: 0,
        maxValue: 3,
        description: 'System pressure',
      },
      {
        name: 'burner_on',
        address: '00001',
        dataType: 'Boolean',
        accessType: 'ReadWrite',
        description: 'Burner enable',
      },
      {
        name: 'setpoint',
        address: '40010',
        dataType: 'Int16',
        accessType: 'ReadWrite',
        unit: '°C',
        minValue: 20,
        maxValue: 90,
        description: 'Flow temperature setpoint',
      },
      { name: 'pump_running', address: '40011.0', dataType: 'Boolean', description: 'Circulation pump running' },
      { name: 'fan_running', address: '40011.1', dataType: 'Boolean', description: 'Combustion fan running' },
    ],
  },
  {
    name: 'Demo pump skid',
    description: 'Simulated pump skid behind the same gateway (Modbus TCP unit 2)',
    location: 'Demo plant, pump room',
    slave: {
      unitId: 2,
      points: [
        {
          address: '30001',
          dataType: 'UInt16',
          waveform: { kind: 'sine', amplitude: 150, offset: 420, periodMs: 45_000 },
        },
        { address: '30002', dataType: 'UInt16', waveform: { kind: 'ramp', min: 0, max: 1000, periodMs: 120_000 } },
        {
          address: '30003',
          dataType: 'UInt32',
          waveform: { kind: 'ramp', min: 0, max: 1_000_000, periodMs: 3_600_000 },
        },
        {
          address: '40001',
          dataType: 'Float',
          waveform: { kind: 'randomWalk', start: 1450, step: 15, min: 1300, max: 1600 },
        },
        { address: '40020[12]', dataType: 'String', waveform: { kind: 'fixed', value: 'PUMP-2024-07' } },
      ],
    },
    tags: [
      { name: 'flow', address: '30001', dataType: 'UInt16', unit: 'm³/h', scaling: 0.1, description: 'Discharge flow' },
      {
        name: 'tank_level',
        address: '30002',
        dataType: 'UInt16',
        unit: '%',
        scaling: 0.1,
        minValue: 0,
        maxValue: 100,
        scanRate: 250,
        description: 'Suction tank level',
      },
      {
        name: 'energy',
        address: '30003',
        dataType: 'UInt32',
        unit: 'kWh',
        scaling: 0.01,
        scanRate: 5000,
        description: 'Energy meter',
      },
      {
        name: 'motor_speed',
        address: '40001',
        dataType: 'Float',
        unit: 'rpm',
        deadband: 2,
        description: 'Motor speed',
      },
      {
        name: 'serial_number',
        address: '40020[12]',
        dataType: 'String',
        scanRate: 10_000,
        description: 'Skid serial number',
      },
    ],
  },
];

async function createDemo(db: Database, endpoint: string): Promise<void> {
  await db.transaction(async (tx) => {
    const repos = repositories(tx);
    if (!(await repos.driverConfigs.getByName(DEMO_DRIVER_CONFIG))) {
      await repos.driverConfigs.create({
        name: DEMO_DRIVER_CONFIG,
        description: 'Scan settings of the demo devices',
        protocol: 'ModbusTcp',
        connectionType: 'tcp',
        scanInterval: 500,
        timeout: 1000,
        retryInterval: 1000,
        maxRetryInterval: 10_000,
      });
    }
    for (const demo of DEMO_DEVICES) {
      const device = await repos.devices.create({
        name: demo.name,
        description: demo.description,
        location: demo.location,
        protocol: 'ModbusTcp',
        endpoint,
        config: { driverConfig: DEMO_DRIVER_CONFIG, modbus: { unitId: demo.slave.unitId } },
        createdBy: DEMO_CREATED_BY,
      });
      await repos.tags.createMany(demo.tags.map((tag) => ({ ...tag, deviceId: device.id })));
    }
  });
}

async function demoDevices(repos: Repositories): Promise<Device[]> {
  return (await repos.devices.list()).filter((device) => device.createdBy === DEMO_CREATED_BY);
}

/**
 * Starts the demo simulator and, on a fresh data folder, creates the demo devices. Resolves
 * undefined when the folder holds other devices and no demo ones (nothing to play). Call it before
 * the drivers start, so they find the demo devices at their current endpoint.
 */
export async function startDemoProfile(
  db: Database,
  options: DemoProfileOptions = {},
): Promise<DemoProfile | undefined> {
  const repos = repositories(db);
  const existing = await demoDevices(repos);
  const fresh = existing.length === 0 && (await repos.devices.list()).length === 0;
  if (!fresh && existing.length === 0) return undefined;
  const simulator = await startModbusSimulator({
    tcp: { host: options.host ?? '127.0.0.1', port: options.port ?? 0 },
    slaves: DEMO_DEVICES.map((demo) => demo.slave),
  });
  try {
    const endpoint = `${simulator.tcpHost}:${simulator.tcpPort}`;
    if (fresh) await createDemo(db, endpoint);
    // The simulator's port changes from start to start: point the demo devices at it.
    for (const device of await demoDevices(repos)) {
      if (device.endpoint !== endpoint) await repos.devices.update(device.id, { endpoint });
    }
    return { simulator, devices: await demoDevices(repos), created: fresh, stop: () => simulator.stop() };
  } catch (error) {
    await simulator.stop();
    throw error;
  }
}
