// One-off reads and writes like Modbus Poll, against pymodbus over TCP, with the frames on the
// wire for the traffic log; and against the simulator over RTU on a line that is being polled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPtyPair, type PtyPair } from '../../../test/services/socat-pty-pair.ts';
import { startPymodbusSlave, type PymodbusSlave } from '../../../test/services/pymodbus-slave.ts';
import { QualityReason } from '../../../proto/generated/frame.ts';
import { startModbusSimulator, type ModbusSimulator } from '../../simulator/modbus-simulator.ts';
import { ModbusCommissioning, OneShotRequestError } from './modbus-commissioning.ts';
import { ModbusDriver } from './modbus-driver.ts';
import { ModbusLinePool } from './modbus-line-pool.ts';

describe('commissioning over Modbus TCP (pymodbus)', () => {
  let peer: PymodbusSlave | undefined;
  const pool = new ModbusLinePool();
  const tools = new ModbusCommissioning(pool);

  beforeAll(async () => {
    peer = await startPymodbusSlave(
      { mode: 'tcp' },
      { 1: { hr: { 0: 0x1234, 1: 0xabcd, 2: 0 }, co: { 0: true, 1: false } } },
    );
  });
  afterAll(async () => {
    await pool.closeAll();
    await peer?.stop();
  });

  const target = () => ({ protocol: 'ModbusTcp' as const, endpoint: `127.0.0.1:${peer!.port}`, modbus: { unitId: 1 } });

  it('reads registers once and returns the frames exchanged', async (context) => {
    if (!peer) return context.skip();
    const result = await tools.execute({ ...target(), functionCode: 3, address: 0, count: 2 });
    expect(result).toMatchObject({ ok: true, registers: [0x1234, 0xabcd] });
    // MBAP (transaction id, protocol 0, length, unit) + PDU
    expect(result.traffic.map((entry) => [entry.direction, entry.hex.slice(6)])).toEqual([
      ['tx', '00 00 00 06 01 03 00 00 00 02'],
      ['rx', '00 00 00 07 01 03 04 12 34 AB CD'],
    ]);
    expect(result.elapsedMs).toBeGreaterThan(0);
    const coils = await tools.execute({ ...target(), functionCode: 1, address: 0, count: 2 });
    expect(coils).toMatchObject({ ok: true, bits: [true, false] });
  });

  it('writes once, and reports an exception with its code', async (context) => {
    if (!peer) return context.skip();
    expect(await tools.execute({ ...target(), functionCode: 6, address: 2, value: 99 })).toMatchObject({ ok: true });
    expect(await tools.execute({ ...target(), functionCode: 3, address: 2, count: 1 })).toMatchObject({
      registers: [99],
    });
    expect(await tools.execute({ ...target(), functionCode: 16, address: 0, values: [1, 2] })).toMatchObject({
      ok: true,
    });
    expect(await tools.execute({ ...target(), functionCode: 5, address: 1, value: true })).toMatchObject({ ok: true });
    expect(await tools.execute({ ...target(), functionCode: 15, address: 0, values: [false, false] })).toMatchObject({
      ok: true,
    });
    const missing = await tools.execute({ ...target(), functionCode: 3, address: 500, count: 3 });
    expect(missing).toMatchObject({
      ok: false,
      reason: QualityReason.QUALITY_REASON_EXCEPTION,
      exceptionCode: 2,
      error: `unit 1 on 127.0.0.1:${peer.port}, FC3 40501…40503: the device answered exception 2 (Illegal data address)`,
    });
    expect(missing.traffic.map((entry) => entry.direction)).toEqual(['tx', 'rx']);
  });

  it('says what is wrong with a request, naming the field', async (context) => {
    if (!peer) return context.skip();
    const bad = [
      [{ ...target(), functionCode: 3, address: 0, count: 126 }, /^count: Too big/],
      [
        { ...target(), functionCode: 3, address: 65535, count: 2 },
        /^count: 2 values from address 65535 run past the last address/,
      ],
      [{ ...target(), functionCode: 6, address: 0, value: 70000 }, /^value: Too big/],
      [{ ...target(), functionCode: 7, address: 0 }, /^functionCode: /],
      [
        { ...target(), endpoint: 'plc:99999', functionCode: 3, address: 0, count: 1 },
        /^endpoint: port 99999 is not 1…65535$/,
      ],
      [{ ...target(), modbus: { unitId: 300 }, functionCode: 3, address: 0, count: 1 }, /^config\.modbus\.unitId: /],
    ] as const;
    for (const [request, message] of bad) {
      const error = await tools.execute(request as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OneShotRequestError);
      expect((error as Error).message).toMatch(message);
    }
  });

  it('reports a device that cannot be reached as a result, not a crash', async () => {
    const result = await tools.execute({
      protocol: 'ModbusTcp',
      endpoint: '127.0.0.1:1',
      functionCode: 3,
      address: 0,
      count: 1,
    });
    expect(result).toMatchObject({
      ok: false,
      error: '127.0.0.1:1 refused the connection: is the device on, and is Modbus TCP enabled on port 1?',
    });
  });
});

describe('commissioning on an RTU line that is being polled', () => {
  let pty: PtyPair | undefined;
  let simulator: ModbusSimulator | undefined;
  const pool = new ModbusLinePool();

  beforeAll(async () => {
    pty = await startPtyPair();
    if (pty)
      simulator = await startModbusSimulator({ rtu: { path: pty.slave }, slaves: [{ unitId: 3, everything: true }] });
  });
  afterAll(async () => {
    await pool.closeAll();
    await simulator?.stop();
    await pty?.stop();
  });

  it('takes its turn on the shared line and logs its own frames only', async (context) => {
    if (!pty || !simulator) return context.skip();
    simulator.slave(3).bank.registers['holding-register'].set([0x0102, 0x0304], 0);
    const modbus = { unitId: 3, baudRate: 19200, parity: 'none' };
    const driver = new ModbusDriver('ModbusRtu', pool);
    await driver.initialise({
      device: { id: 'd', name: 'Drive', protocol: 'ModbusRtu', endpoint: pty.master, config: { modbus } },
      settings: {
        name: 't',
        scanIntervalMs: 10,
        timeoutMs: 200,
        maxConcurrent: 1,
        batchSize: 10,
        maxRetries: 3,
        retryIntervalMs: 100,
        exponentialBackoff: false,
        maxRetryIntervalMs: 100,
      },
      groups: [
        {
          id: 'g',
          intervalMs: 10,
          tags: [{ id: 't', name: 't', address: '40010', dataType: 'UInt16', accessType: 'Read' }],
        },
      ],
    });
    await driver.connect();
    let polling = true;
    const poller = (async () => {
      while (polling) await driver.scan('g');
    })();
    const tools = new ModbusCommissioning(pool);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        tools.execute({ protocol: 'ModbusRtu', endpoint: pty!.master, modbus, functionCode: 3, address: 0, count: 2 }),
      ),
    );
    polling = false;
    await poller;
    await driver.shutdown();
    for (const result of results) {
      expect(result).toMatchObject({ ok: true, registers: [0x0102, 0x0304] });
      // RTU frames with their CRC: request 03 03 00 00 00 02 + CRC, answer 03 03 04 01 02 03 04 + CRC
      expect(result.traffic.map((entry) => entry.hex)).toEqual([
        expect.stringMatching(/^03 03 00 00 00 02 [0-9A-F]{2} [0-9A-F]{2}$/),
        expect.stringMatching(/^03 03 04 01 02 03 04 [0-9A-F]{2} [0-9A-F]{2}$/),
      ]);
    }
  });
});
