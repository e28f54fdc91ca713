// The Modbus driver against an independent peer: pymodbus 3.0 from Debian as a Modbus TCP
// server and as RTU slaves on one end of a socat pty pair (several slave ids on one line, one
// absent). Register contents are written out by hand (see register-codec.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPtyPair, type PtyPair } from '../../../test/services/socat-pty-pair.ts';
import { startPymodbusSlave, type PymodbusSlave, type PymodbusTables } from '../../../test/services/pymodbus-slave.ts';
import { Quality, QualityReason } from '../../../proto/generated/frame.ts';
import type { TagDataType, TagAccess } from '../../../common/enums.ts';
import type { DriverSettings, DriverTag, TagReading } from '../driver-contract.ts';
import { ModbusDriver } from './modbus-driver.ts';
import { ModbusLinePool } from './modbus-line-pool.ts';

const UNIT_1: PymodbusTables = {
  hr: {
    0: 0x42f6, // Float 123.456, ABCD
    1: 0xe979,
    2: 0xe979, // Float 123.456, CDAB
    3: 0x42f6,
    4: 0xfffe, // Int16 −2
    5: 0x0008, // status word: bit 3 set
    // 6…9 do not exist: a read across them answers "illegal data address"
    10: 0x7eeb, // Int64 −1234567890123456789, CDAB
    11: 0x8216,
    12: 0xef0b,
    13: 0xeedd,
    20: 0x4142, // "AB123"
    21: 0x3132,
    22: 0x3300,
    // 23 does not exist
    40: 0,
    41: 0,
    42: 0,
    43: 0,
  },
  ir: { 0: 0xb2d0, 1: 0x5e00 }, // UInt32 3,000,000,000
  co: { 0: true, 1: false, 2: true, 3: false },
  di: { 0: true },
};
const UNIT_2: PymodbusTables = { hr: { 0: 7 } };

const SETTINGS: DriverSettings = {
  name: 'test',
  scanIntervalMs: 100,
  timeoutMs: 300,
  maxConcurrent: 10,
  batchSize: 100,
  maxRetries: 3,
  retryIntervalMs: 100,
  exponentialBackoff: true,
  maxRetryIntervalMs: 1000,
};

function tag(name: string, address: string, dataType: TagDataType, accessType: TagAccess = 'ReadWrite'): DriverTag {
  return { id: name, name, address, dataType, accessType };
}

const UNIT_1_TAGS = [
  tag('floatAbcd', '40001', 'Float'),
  tag('floatCdab', '40003:CDAB', 'Float'),
  tag('int16', '40005', 'Int16'),
  tag('bit3', '40006.3', 'Boolean'),
  tag('bit4', '40006.4', 'Boolean'),
  tag('int64', '40011:CDAB', 'Int64'),
  tag('text', '40021[6]', 'String'),
  tag('missing', '40024', 'Int16'),
  tag('uint32', '30001', 'UInt32', 'Read'),
  tag('coil0', '00001', 'Boolean'),
  tag('coil1', '00002', 'Boolean'),
  tag('coil2', '00003', 'Boolean'),
  tag('input0', '10001', 'Boolean', 'Read'),
  tag('badAddress', '123', 'Int16'),
];

function byTag(readings: TagReading[]): Record<string, TagReading> {
  return Object.fromEntries(readings.map((reading) => [reading.tagId, reading]));
}

function values(readings: TagReading[]): Record<string, unknown> {
  return Object.fromEntries(readings.filter((r) => r.ok).map((r) => [r.tagId, (r as { raw: unknown }).raw]));
}

async function startDriver(
  pool: ModbusLinePool,
  protocol: 'ModbusTcp' | 'ModbusRtu',
  endpoint: string,
  modbus: Record<string, unknown>,
  tags: DriverTag[],
) {
  const driver = new ModbusDriver(protocol, pool);
  await driver.initialise({
    device: {
      id: `${endpoint}#${String(modbus.unitId)}`,
      name: `unit ${String(modbus.unitId)}`,
      protocol,
      endpoint,
      config: { modbus },
    },
    settings: SETTINGS,
    groups: [{ id: 'g', intervalMs: 100, tags }],
  });
  await driver.connect();
  return driver;
}

function expectUnit1(readings: TagReading[]) {
  expect(values(readings)).toEqual({
    floatAbcd: Math.fround(123.456),
    floatCdab: Math.fround(123.456),
    int16: -2,
    bit3: true,
    bit4: false,
    int64: -1234567890123456789n,
    text: 'AB123',
    uint32: 3000000000,
    coil0: true,
    coil1: false,
    coil2: true,
    input0: true,
  });
  const index = byTag(readings);
  expect(index.missing).toMatchObject({
    ok: false,
    quality: Quality.QUALITY_BAD,
    reason: QualityReason.QUALITY_REASON_EXCEPTION,
    errorCode: 2,
  });
  expect((index.missing as { message: string }).message).toMatch(
    /'unit 1' \(unit 1 on .+\), holding registers 40024: the device answered exception 2 \(Illegal data address\)/,
  );
  expect(index.badAddress).toMatchObject({ ok: false, reason: QualityReason.QUALITY_REASON_CONFIG_ERROR });
  expect((index.badAddress as { message: string }).message).toMatch(
    /tag 'badAddress', address '123': 123 is ambiguous/,
  );
}

describe('Modbus TCP driver against pymodbus', () => {
  let peer: PymodbusSlave | undefined;
  const pool = new ModbusLinePool();

  beforeAll(async () => {
    peer = await startPymodbusSlave({ mode: 'tcp' }, { 1: UNIT_1, 2: UNIT_2 });
  });
  afterAll(async () => {
    await pool.closeAll();
    await peer?.stop();
  });

  it('reads every type and order, and plans around illegal addresses', async (context) => {
    if (!peer) return context.skip();
    const driver = await startDriver(pool, 'ModbusTcp', `127.0.0.1:${peer.port}`, { unitId: 1 }, UNIT_1_TAGS);
    const planned = driver.blocksOf('g').map((block) => [block.functionCode, block.start, block.count]);
    expect(planned).toEqual([
      [1, 0, 3],
      [2, 0, 1],
      [4, 0, 2],
      [3, 0, 24], // 40001…40024 in one read (gaps ≤ 16): it will meet the holes
    ]);
    // Every scan delivers every value: a read that meets a hole is split until it does not.
    // What a split learns is kept, so within a few scans the holes are no longer read at all.
    for (let scan = 0; scan < 4; scan++) {
      const outcome = await driver.scan('g');
      expect(outcome.answered).toBe(true);
      expectUnit1(outcome.readings);
    }
    expect(driver.blocksOf('g').map((block) => [block.functionCode, block.start, block.count])).toEqual([
      [1, 0, 3],
      [2, 0, 1],
      [4, 0, 2],
      [3, 0, 6],
      [3, 10, 4],
      [3, 20, 3],
      [3, 23, 1],
    ]);
    await driver.shutdown();
  });

  it('shares one connection between unit ids and reports an absent one as a timeout', async (context) => {
    if (!peer) return context.skip();
    const endpoint = `127.0.0.1:${peer.port}`;
    const unit2 = await startDriver(pool, 'ModbusTcp', endpoint, { unitId: 2 }, [tag('value', '40001', 'UInt16')]);
    const unit3 = await startDriver(pool, 'ModbusTcp', endpoint, { unitId: 3 }, [tag('value', '40001', 'UInt16')]);
    expect(values((await unit2.scan('g')).readings)).toEqual({ value: 7 });
    const absent = await unit3.scan('g');
    expect(absent.answered).toBe(false);
    expect(absent.connectionLost).toBeUndefined();
    expect(absent.readings[0]).toMatchObject({ ok: false, reason: QualityReason.QUALITY_REASON_TIMEOUT });
    expect((absent.readings[0] as { message: string }).message).toMatch(/unit 3 .*no answer in time/);
    expect(values((await unit2.scan('g')).readings)).toEqual({ value: 7 });
    await unit2.shutdown();
    await unit3.shutdown();
  });

  it('writes with FC05, FC06, FC15 and FC16 and reads the value back', async (context) => {
    if (!peer) return context.skip();
    const endpoint = `127.0.0.1:${peer.port}`;
    const writeTags = [
      tag('setpoint', '40041', 'Int16'),
      tag('flow', '40042:CDAB', 'Float'),
      tag('flag', '40044.2', 'Boolean'),
      tag('coil', '00004', 'Boolean'),
      tag('input', '30001', 'UInt32', 'Read'),
    ];
    const driver = await startDriver(pool, 'ModbusTcp', endpoint, { unitId: 1 }, writeTags);
    const [setpoint, flow, flag, coil, input] = writeTags as [DriverTag, DriverTag, DriverTag, DriverTag, DriverTag];
    expect(await driver.write(setpoint, -1234)).toEqual({ ok: true, readBack: -1234 }); // FC06
    expect(await driver.write(flow, 21.5)).toEqual({ ok: true, readBack: 21.5 }); // FC16
    expect(await driver.write(flag, true)).toEqual({ ok: true, readBack: true }); // FC03 + FC06
    expect(await driver.write(coil, true)).toEqual({ ok: true, readBack: true }); // FC05
    expect(values((await driver.scan('g')).readings)).toMatchObject({
      setpoint: -1234,
      flow: 21.5,
      flag: true,
      coil: true,
    });
    const refused = await driver.write(input, 1);
    expect(refused).toMatchObject({ ok: false, reason: QualityReason.QUALITY_REASON_CONFIG_ERROR });
    expect((refused as { message: string }).message).toBe("tag 'input' is a input register, which Modbus cannot write");
    const tooBig = await driver.write(setpoint, 40000);
    expect((tooBig as { message: string }).message).toBe("tag 'setpoint': 40000 does not fit in Int16 (-32768…32767)");
    await driver.shutdown();

    // Devices that only implement the multiple-write functions get FC15 and FC16 for single values.
    const multiple = await startDriver(
      pool,
      'ModbusTcp',
      endpoint,
      { unitId: 1, singleRegisterWrite: 'FC16', singleCoilWrite: 'FC15' },
      writeTags,
    );
    expect(await multiple.write(setpoint, 4321)).toEqual({ ok: true, readBack: 4321 }); // FC16
    expect(await multiple.write(coil, false)).toEqual({ ok: true, readBack: false }); // FC15
    await multiple.shutdown();
  });
});

describe('Modbus RTU driver against pymodbus on a pty pair', () => {
  let pty: PtyPair | undefined;
  let peer: PymodbusSlave | undefined;
  const pool = new ModbusLinePool();

  beforeAll(async () => {
    pty = await startPtyPair();
    if (pty)
      peer = await startPymodbusSlave({ mode: 'rtu', device: pty.slave, baudrate: 19200 }, { 1: UNIT_1, 2: UNIT_2 });
  });
  afterAll(async () => {
    await pool.closeAll();
    await peer?.stop();
    await pty?.stop();
  });

  it('reads several slaves on one line, and an absent slave does not disturb the others', async (context) => {
    if (!pty || !peer) return context.skip();
    const line = { baudRate: 19200, parity: 'none' as const };
    const unit1 = await startDriver(pool, 'ModbusRtu', pty.master, { unitId: 1, ...line }, UNIT_1_TAGS);
    const unit2 = await startDriver(pool, 'ModbusRtu', pty.master, { unitId: 2, ...line }, [
      tag('value', '40001', 'UInt16'),
    ]);
    const unit5 = await startDriver(pool, 'ModbusRtu', pty.master, { unitId: 5, ...line, timeoutMs: 150 }, [
      tag('value', '40001', 'UInt16'),
    ]);
    // all three scan at once: the line takes their requests one after another
    const [one, two, five] = await Promise.all([unit1.scan('g'), unit2.scan('g'), unit5.scan('g')]);
    expectUnit1(one.readings);
    expect(values(two.readings)).toEqual({ value: 7 });
    expect(five.readings[0]).toMatchObject({ ok: false, reason: QualityReason.QUALITY_REASON_TIMEOUT });
    expect((five.readings[0] as { message: string }).message).toMatch(
      new RegExp(`'unit 5' \\(unit 5 on ${pty.master}\\), holding registers 40001: no answer in time`),
    );
    expect(values((await unit2.scan('g')).readings)).toEqual({ value: 7 });
    for (const driver of [unit1, unit2, unit5]) await driver.shutdown();
  });

  it('refuses a second device on the line with other line settings, naming the field', async (context) => {
    if (!pty || !peer) return context.skip();
    const first = await startDriver(pool, 'ModbusRtu', pty.master, { unitId: 1, baudRate: 19200, parity: 'none' }, []);
    await expect(
      startDriver(pool, 'ModbusRtu', pty.master, { unitId: 2, baudRate: 9600, parity: 'none' }, []),
    ).rejects.toMatchObject({
      kind: 'config',
      field: 'config.modbus.baudRate',
      message: `${pty.master} is already used by 'unit 1' with 19200 baud, 8 data bits, parity none, 1 stop bit(s); 'unit 2' asks for 9600 baud, 8 data bits, parity none, 1 stop bit(s). Devices on one line must use the same settings`,
    });
    await first.shutdown();
  });
});
