// Faults on real lines, with the driver manager running: the cable pulled and plugged back
// (socat killed and restarted, pymodbus on the far end), and on a shared RTU line served by the
// simulator: a slow slave (demoted, the others keep their rate, promoted back), a slave answering
// exceptions, a malformed answer and a CRC error. Then the serial port's own errors.
import { execFile } from 'node:child_process';
import { chmod, realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollectingFrameSink } from '../../../test/collecting-frame-sink.ts';
import { databaseBackends } from '../../../test/database-backends.ts';
import { startTestDrivers } from '../../../test/driver-manager-harness.ts';
import { freePort } from '../../../test/services/free-port.ts';
import { startPymodbusSlave, type PymodbusSlave } from '../../../test/services/pymodbus-slave.ts';
import { runningAsRoot } from '../../../test/services/run-as-service-user.ts';
import { startPtyPair, type PtyPair } from '../../../test/services/socat-pty-pair.ts';
import { Quality, QualityReason } from '../../../proto/generated/frame.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import type { Device } from '../../db/repositories/devices-repository.ts';
import { repositories, type Repositories } from '../../db/repositories/repositories.ts';
import type { Tag } from '../../db/repositories/tags-repository.ts';
import { startModbusSimulator, type ModbusSimulator } from '../../simulator/modbus-simulator.ts';
import { DriverError } from '../driver-contract.ts';
import type { DriverManager } from '../driver-manager.ts';
import { ModbusDriver } from './modbus-driver.ts';
import { ModbusLinePool } from './modbus-line-pool.ts';
import { SerialLine } from './serial-line.ts';
import { listSerialPorts } from './serial-port-list.ts';
import { loadSerialPort } from './serial-port-module.ts';

const pglite = databaseBackends()[0]!;
const RTU_LINE = { baudRate: 19200, parity: 'none' };

interface Plant {
  handle: DatabaseHandle;
  repos: Repositories;
  sink: CollectingFrameSink;
  manager: DriverManager;
  stop(): Promise<void>;
}

/**
 * A fresh database with one RTU driver configuration (100 ms scans, 2 unanswered scans before a
 * device is demoted, then polled every `retryInterval` ms), and a manager for its devices.
 */
async function plant(setup: (repos: Repositories) => Promise<void>, retryInterval: number): Promise<Plant> {
  const handle = await pglite.open();
  const repos = repositories(handle.db);
  await repos.driverConfigs.create({
    name: 'RS-485 line',
    protocol: 'ModbusRtu',
    connectionType: 'serial',
    scanInterval: 100,
    timeout: 200,
    maxRetries: 2,
    retryInterval,
    exponentialBackoff: false,
    maxRetryInterval: retryInterval,
  });
  await setup(repos);
  const sink = new CollectingFrameSink();
  const drivers = await startTestDrivers(repos, sink);
  return {
    handle,
    repos,
    sink,
    manager: drivers.manager,
    async stop() {
      await drivers.stop();
      await handle.close();
    },
  };
}

describe('a pulled cable (socat killed and restarted, pymodbus on the far end)', () => {
  let pty: PtyPair | undefined;
  let peer: PymodbusSlave | undefined;
  let site: Plant | undefined;
  let device: Device;
  let tag: Tag;

  beforeAll(async () => {
    pty = await startPtyPair();
    if (!pty) return;
    peer = await startPymodbusSlave({ mode: 'rtu', device: pty.slave }, { 1: { hr: { 0: 1234 } } });
    if (!peer) return;
    const master = pty.master;
    site = await plant(async (repos) => {
      device = await repos.devices.create({
        name: 'Meter',
        protocol: 'ModbusRtu',
        endpoint: master,
        config: { modbus: { unitId: 1, ...RTU_LINE } },
      });
      tag = await repos.tags.create({ deviceId: device.id, name: 'energy', address: '40001', dataType: 'UInt16' });
    }, 100);
  });
  afterAll(async () => {
    await site?.stop();
    await peer?.stop();
    await pty?.stop();
  });

  it('reports the port gone, reopens it by itself when it is back', async (context) => {
    if (!pty || !site) return context.skip();
    const { sink, repos } = site;
    await sink.until(() => sink.latest(tag.id)?.quality === Quality.QUALITY_GOOD, 'a first good value');
    expect(sink.latest(tag.id)?.value?.kind).toEqual({ $case: 'uintValue', value: 1234n });
    await expect.poll(async () => (await repos.devices.get(device.id))?.status).toBe('Online');

    await pty.unplug();
    await sink.until(() => sink.latest(tag.id)?.quality === Quality.QUALITY_BAD, 'a bad value after unplugging', 5000);
    expect([QualityReason.QUALITY_REASON_PORT_CLOSED, QualityReason.QUALITY_REASON_NOT_CONNECTED]).toContain(
      sink.latest(tag.id)?.qualityReason,
    );
    await expect.poll(async () => (await repos.devices.get(device.id))?.status).toBe('Offline');
    await expect
      .poll(() => site?.manager.devices()[0]?.reason)
      .toBe(
        `${pty.master} does not exist: check that the USB-RS485 adapter is plugged in, and pick the port from the list`,
      );

    const badFrames = sink.framesOf(tag.id).length;
    await pty.plugIn();
    await sink.until(
      () => sink.latest(tag.id)?.quality === Quality.QUALITY_GOOD,
      'a good value after plugging in',
      10_000,
    );
    expect(sink.framesOf(tag.id).length).toBeGreaterThan(badFrames);
    await expect.poll(async () => (await repos.devices.get(device.id))?.status).toBe('Online');
  });
});

describe('faults on a shared RTU line (the simulator as the misbehaving peer)', () => {
  let pty: PtyPair | undefined;
  let simulator: ModbusSimulator;
  let site: Plant | undefined;
  const devices: Device[] = [];
  const tags: Tag[] = [];

  beforeAll(async () => {
    pty = await startPtyPair();
    if (!pty) return;
    simulator = await startModbusSimulator({
      rtu: { path: pty.slave },
      slaves: [1, 2, 3, 4].map((unitId) => ({
        unitId,
        points: [
          { address: '40001', dataType: 'UInt16' as const, waveform: { kind: 'fixed' as const, value: unitId * 100 } },
        ],
      })),
    });
    const master = pty.master;
    site = await plant(async (repos) => {
      for (const unitId of [1, 2, 3, 4]) {
        const device = await repos.devices.create({
          name: `Slave ${unitId}`,
          protocol: 'ModbusRtu',
          endpoint: master,
          config: { modbus: { unitId, ...RTU_LINE, timeoutMs: 300 } },
        });
        devices.push(device);
        tags.push(
          await repos.tags.create({ deviceId: device.id, name: 'value', address: '40001', dataType: 'UInt16' }),
        );
      }
    }, 1000);
  });
  afterAll(async () => {
    await site?.stop();
    await simulator?.stop();
    await pty?.stop();
  });

  const runtime = (unit: number) => site!.manager.devices().find((d) => d.deviceId === devices[unit - 1]!.id)!;
  const latest = (unit: number) => site!.sink.latest(tags[unit - 1]!.id);

  it('demotes a slow slave so the others keep their rate, and promotes it back', async (context) => {
    if (!site) return context.skip();
    const { sink } = site;
    await sink.until(
      () => [1, 2, 3, 4].every((unit) => latest(unit)?.quality === Quality.QUALITY_GOOD),
      'all four slaves',
    );
    simulator.slave(3).faults.responseDelayMs = 700; // answers after the 300 ms timeout
    await sink.until(() => runtime(3).demoted, 'slave 3 demoted', 5000);
    expect(latest(3)).toMatchObject({
      quality: Quality.QUALITY_BAD,
      qualityReason: QualityReason.QUALITY_REASON_TIMEOUT,
    });
    expect(runtime(3)).toMatchObject({ status: 'Offline' });
    expect(runtime(3).reason).toMatch(
      /'Slave 3' \(unit 3 on .+\), holding registers 40001: no answer in time .*polled less often/,
    );

    // Over two seconds the healthy slaves keep (nearly) their 100 ms rate — every scan publishes —
    // while slave 3 is asked once a second instead of ten times, each costing a 300 ms timeout
    // (not demoted, each of them would get about 5 scans in those two seconds).
    const count = (unit: number) => sink.framesOf(tags[unit - 1]!.id).length;
    const before = [count(1), count(2)];
    const failuresBefore = runtime(3).failures;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(count(1) - before[0]!).toBeGreaterThanOrEqual(12);
    expect(count(2) - before[1]!).toBeGreaterThanOrEqual(12);
    expect(runtime(3).failures - failuresBefore).toBeLessThanOrEqual(3);

    simulator.slave(3).faults.responseDelayMs = 0;
    await sink.until(() => latest(3)?.quality === Quality.QUALITY_GOOD, 'slave 3 answering again', 5000);
    expect(runtime(3)).toMatchObject({ demoted: false, status: 'Online' });
  });

  it('reports an exception answer with its name; the device stays online', async (context) => {
    if (!site) return context.skip();
    simulator.slave(4).faults = { exceptionCode: 4 };
    await site.sink.until(() => latest(4)?.qualityReason === QualityReason.QUALITY_REASON_EXCEPTION, 'an exception');
    expect(latest(4)).toMatchObject({ quality: Quality.QUALITY_BAD, errorCode: 4 });
    expect(runtime(4).status).toBe('Online');
    simulator.slave(4).faults = {};
    await site.sink.until(() => latest(4)?.quality === Quality.QUALITY_GOOD, 'slave 4 good again');
  });

  it('reports a malformed answer and a CRC error, and the other slaves never notice', async (context) => {
    if (!site) return context.skip();
    const goodBefore = site.sink.framesOf(tags[0]!.id).length;
    simulator.slave(4).faults = { malformed: true };
    await site.sink.until(
      () => latest(4)?.qualityReason === QualityReason.QUALITY_REASON_MALFORMED_RESPONSE,
      'a malformed answer',
    );
    await site.sink.until(() => runtime(4).status === 'Error', 'slave 4 in Error');
    expect(runtime(4).reason).toMatch(/the answer does not fit the request \(data length error, expected 7 got 5\)/);

    simulator.slave(4).faults = { corruptCrc: true };
    await site.sink.until(() => latest(4)?.qualityReason === QualityReason.QUALITY_REASON_CRC_ERROR, 'a CRC error');
    expect(runtime(4).reason).toMatch(/CRC error/);

    simulator.slave(4).faults = {};
    await site.sink.until(() => latest(4)?.quality === Quality.QUALITY_GOOD, 'slave 4 good again', 5000);
    expect(runtime(4).status).toBe('Online');
    expect(latest(1)).toMatchObject({ quality: Quality.QUALITY_GOOD });
    expect(site.sink.framesOf(tags[0]!.id).length).toBeGreaterThan(goodBefore);
    const duringFaults = site.sink.framesOf(tags[0]!.id).slice(goodBefore);
    expect(duringFaults.filter((frame) => frame.quality !== Quality.QUALITY_GOOD)).toEqual([]);
  });
});

describe('a Modbus TCP connection that drops and comes back', () => {
  it('reports the loss, says why it cannot reconnect, and reconnects when the device is back', async () => {
    const port = await freePort();
    const slaves = [
      {
        unitId: 1,
        points: [{ address: '40001', dataType: 'UInt16' as const, waveform: { kind: 'fixed' as const, value: 5 } }],
      },
    ];
    let simulator = await startModbusSimulator({ tcp: { port }, slaves });
    const pool = new ModbusLinePool();
    const driver = new ModbusDriver('ModbusTcp', pool);
    await driver.initialise({
      device: { id: 'plc', name: 'PLC', protocol: 'ModbusTcp', endpoint: `127.0.0.1:${port}`, config: {} },
      settings: {
        name: 't',
        scanIntervalMs: 100,
        timeoutMs: 300,
        maxConcurrent: 1,
        batchSize: 10,
        maxRetries: 2,
        retryIntervalMs: 100,
        exponentialBackoff: true,
        maxRetryIntervalMs: 400,
      },
      groups: [
        {
          id: 'g',
          intervalMs: 100,
          tags: [{ id: 't', name: 't', address: '40001', dataType: 'UInt16', accessType: 'Read' }],
        },
      ],
    });
    try {
      await driver.connect();
      expect((await driver.scan('g')).readings[0]).toMatchObject({ ok: true, raw: 5 });
      await simulator.stop(); // the PLC goes away, closing the connection
      await new Promise((resolve) => setTimeout(resolve, 50));
      const lost = await driver.scan('g');
      expect(lost.connectionLost).toBeInstanceOf(DriverError);
      expect(lost.readings[0]).toMatchObject({ ok: false, reason: QualityReason.QUALITY_REASON_PORT_CLOSED });
      await expect(driver.connect()).rejects.toMatchObject({
        kind: 'unreachable',
        message: `127.0.0.1:${port} refused the connection: is the device on, and is Modbus TCP enabled on port ${port}?`,
      });
      simulator = await startModbusSimulator({ tcp: { port }, slaves });
      await driver.connect();
      expect((await driver.scan('g')).readings[0]).toMatchObject({ ok: true, raw: 5 });
    } finally {
      await driver.shutdown();
      await pool.closeAll();
      await simulator.stop();
    }
  });
});

describe('serial port errors are sentences', () => {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../test/services/open-serial-line.ts');
  const settings = { baudRate: 19200, dataBits: 8 as const, parity: 'even' as const, stopBits: 1 as const };

  async function openError(portPath: string): Promise<DriverError> {
    const line = new SerialLine(portPath, settings);
    const error = await line.open().then(
      () => undefined,
      (e: unknown) => e,
    );
    await line.close();
    expect(error).toBeInstanceOf(DriverError);
    return error as DriverError;
  }

  it('port not found', async () => {
    const error = await openError('/dev/ttyUSB-does-not-exist');
    expect(error).toMatchObject({ kind: 'unreachable', field: 'endpoint' });
    expect(error.message).toBe(
      '/dev/ttyUSB-does-not-exist does not exist: check that the USB-RS485 adapter is plugged in, and pick the port from the list',
    );
  });

  it('port busy (another program holds it)', async (context) => {
    const pty = await startPtyPair();
    if (!pty) return context.skip();
    const { SerialPort } = await loadSerialPort();
    const other = new SerialPort({ path: pty.master, baudRate: 19200, autoOpen: false });
    await new Promise<void>((resolve, reject) => other.open((e) => (e ? reject(e) : resolve())));
    try {
      const error = await openError(pty.master);
      expect(error).toMatchObject({ kind: 'access', field: 'endpoint' });
      expect(error.message).toBe(
        `${pty.master} is in use by another program: close the other program (a terminal, Modbus Poll, another gateway) or pick another port`,
      );
    } finally {
      await new Promise((resolve) => other.close(resolve));
      await pty.stop();
    }
  });

  it('permission denied, with the dialout group', async (context) => {
    const pty = await startPtyPair();
    if (!pty) return context.skip();
    try {
      const device = await realpath(pty.master);
      let result: { opened: boolean; kind?: string; message?: string };
      if (runningAsRoot) {
        // root may open anything: ask as an unprivileged user, the way a fresh install runs
        await chmod(device, 0o600);
        const { stdout } = await promisify(execFile)(
          'runuser',
          ['-u', 'nobody', '--', process.execPath, '--import', 'tsx', script, device],
          {
            cwd: path.dirname(path.dirname(path.dirname(script))),
          },
        );
        result = JSON.parse(stdout.trim().split('\n').at(-1) as string);
      } else {
        await chmod(device, 0o000);
        const error = await openError(device);
        result = { opened: false, kind: error.kind, message: error.message };
      }
      expect(result).toMatchObject({
        opened: false,
        kind: 'access',
        message: `Permission denied on ${device}: add your user to the dialout group (sudo usermod -aG dialout $USER), then log out and back in`,
      });
    } finally {
      await pty.stop();
    }
  });

  it('listing ports without udevadm says what to install', async () => {
    const pathBefore = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(listSerialPorts()).rejects.toThrow(
        'Listing serial ports needs the udevadm program (Debian/Ubuntu package "udev"), which is not installed: install udev, or type the port path (e.g. /dev/ttyUSB0)',
      );
    } finally {
      process.env.PATH = pathBefore;
    }
    // with udevadm it lists (this machine may have no serial ports; the call itself must work)
    expect(Array.isArray(await listSerialPorts())).toBe(true);
  });
});
