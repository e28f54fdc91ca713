// The simulator checked by an independent master: mbpoll (libmodbus) reads and writes it over
// Modbus TCP and over RTU on a socat pty pair. Also the waveforms and the RTU wire-timing model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMbpoll, mbpoll } from '../../test/services/mbpoll.ts';
import { startPtyPair, type PtyPair } from '../../test/services/socat-pty-pair.ts';
import { parseModbusAddress } from '../drivers/modbus/modbus-address.ts';
import { SerialLine } from '../drivers/modbus/serial-line.ts';
import { transactionWireMs } from './modbus-rtu-server.ts';
import { startModbusSimulator, type ModbusSimulator, type ModbusSimulatorConfig } from './modbus-simulator.ts';
import { sampler } from './waveforms.ts';

const SLAVE: ModbusSimulatorConfig['slaves'][number] = {
  unitId: 1,
  points: [
    { address: '40001:CDAB', dataType: 'Float', waveform: { kind: 'fixed', value: 21.5 } },
    { address: '40003', dataType: 'Float', waveform: { kind: 'fixed', value: -1.25 } },
    { address: '40005', dataType: 'Int16', waveform: { kind: 'fixed', value: -5 } },
    { address: '40006', dataType: 'UInt16', waveform: { kind: 'ramp', min: 0, max: 1000, periodMs: 10_000 } },
    { address: '30001', dataType: 'UInt16', waveform: { kind: 'fixed', value: 4242 } },
    { address: '00001', dataType: 'Boolean', waveform: { kind: 'fixed', value: true } },
    { address: '00002', dataType: 'Boolean' },
    { address: '10001', dataType: 'Boolean', waveform: { kind: 'fixed', value: true } },
  ],
  ranges: [{ table: 'holding-register', start: 10, count: 10 }],
};

describe('simulator over Modbus TCP, read by mbpoll', () => {
  let simulator: ModbusSimulator;
  const binary = findMbpoll();

  beforeAll(async () => {
    simulator = await startModbusSimulator({ tcp: { port: 0 }, slaves: [SLAVE] });
  });
  afterAll(() => simulator.stop());

  const tcp = () => ['-m', 'tcp', '-p', String(simulator.tcpPort), '-a', '1'];

  it('serves every table and both float word orders', async (context) => {
    if (!binary) return context.skip();
    // mbpoll's float is little-endian word order (CDAB) by default, big-endian (ABCD) with -B
    expect((await mbpoll(binary, [...tcp(), '-t', '4:float', '-r', '1', '127.0.0.1'])).values).toEqual({ 1: '21.5' });
    expect((await mbpoll(binary, [...tcp(), '-t', '4:float', '-B', '-r', '3', '127.0.0.1'])).values).toEqual({
      3: '-1.25',
    });
    expect((await mbpoll(binary, [...tcp(), '-t', '4', '-r', '5', '127.0.0.1'])).values).toEqual({ 5: '65531 (-5)' });
    expect((await mbpoll(binary, [...tcp(), '-t', '3', '-r', '1', '127.0.0.1'])).values).toEqual({ 1: '4242' });
    expect((await mbpoll(binary, [...tcp(), '-t', '0', '-r', '1', '-c', '2', '127.0.0.1'])).values).toEqual({
      1: '1',
      2: '0',
    });
    expect((await mbpoll(binary, [...tcp(), '-t', '1', '-r', '1', '127.0.0.1'])).values).toEqual({ 1: '1' });
  });

  it('takes writes (FC06, FC16, FC05, FC15) and answers illegal addresses with exception 2', async (context) => {
    if (!binary) return context.skip();
    const bank = simulator.slave(1).bank;
    expect((await mbpoll(binary, [...tcp(), '-t', '4', '-r', '11', '127.0.0.1', '1234'])).code).toBe(0);
    expect(bank.registers['holding-register'][10]).toBe(1234);
    expect((await mbpoll(binary, [...tcp(), '-t', '4', '-r', '12', '127.0.0.1', '7', '8', '9'])).code).toBe(0);
    expect([...bank.registers['holding-register'].subarray(11, 14)]).toEqual([7, 8, 9]);
    expect((await mbpoll(binary, [...tcp(), '-t', '0', '-r', '2', '127.0.0.1', '1'])).code).toBe(0);
    expect(bank.load(parseModbusAddress('00002', 'Boolean'), 'Boolean')).toBe(true);
    expect((await mbpoll(binary, [...tcp(), '-t', '0', '-r', '1', '127.0.0.1', '0', '0'])).code).toBe(0);
    expect([bank.bits.coil[0], bank.bits.coil[1]]).toEqual([0, 0]);
    const illegal = await mbpoll(binary, [...tcp(), '-t', '4', '-r', '30', '127.0.0.1']);
    expect(illegal.output).toMatch(/Illegal data address/);
  });
});

describe('simulator over Modbus RTU on a pty pair, read by mbpoll', () => {
  let pty: PtyPair | undefined;
  let simulator: ModbusSimulator | undefined;
  const binary = findMbpoll();

  beforeAll(async () => {
    pty = await startPtyPair();
    if (pty) {
      simulator = await startModbusSimulator({
        rtu: { path: pty.slave },
        slaves: [SLAVE, { unitId: 7, everything: true }],
      });
    }
  });
  afterAll(async () => {
    await simulator?.stop();
    await pty?.stop();
  });

  it('answers its unit ids and stays silent for others', async (context) => {
    if (!pty || !binary) return context.skip();
    const rtu = ['-m', 'rtu', '-b', '19200', '-P', 'none', '-o', '0.3'];
    expect((await mbpoll(binary, [...rtu, '-a', '1', '-t', '4:float', '-r', '1', pty.master])).values).toEqual({
      1: '21.5',
    });
    expect((await mbpoll(binary, [...rtu, '-a', '7', '-t', '4', '-r', '100', pty.master, '99'])).code).toBe(0);
    expect(simulator?.slave(7).bank.registers['holding-register'][99]).toBe(99);
    const absent = await mbpoll(binary, [...rtu, '-a', '9', '-t', '4', '-r', '1', pty.master]);
    expect(absent.output).toMatch(/timed out/i);
  });
});

describe('RTU wire-timing model', () => {
  let pty: PtyPair | undefined;
  let simulator: ModbusSimulator | undefined;
  const timing = { baudRate: 9600, responseTimeMs: 10 };

  beforeAll(async () => {
    pty = await startPtyPair();
    if (pty) {
      simulator = await startModbusSimulator({
        rtu: { path: pty.slave, wireTiming: timing },
        slaves: [{ unitId: 1, everything: true }],
      });
    }
  });
  afterAll(async () => {
    await simulator?.stop();
    await pty?.stop();
  });

  it('answers when the frames would have crossed a real line', async (context) => {
    if (!pty) return context.skip();
    const line = new SerialLine(pty.master, { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 });
    await line.open();
    // 100 registers at 9600 baud: (8 + 205) bytes × 11 bits ≈ 244 ms on the wire, + t3.5 + 10 ms
    const expected = transactionWireMs(8, 205, timing);
    expect(expected).toBeCloseTo(258.1, 0);
    const started = performance.now();
    await line.transact({ functionCode: 3, unitId: 1, address: 0, count: 100 }, { timeoutMs: 1000 });
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(expected - 1);
    expect(took).toBeLessThan(expected + 100); // a loaded test machine answers late, never early
    await line.close();
  });
});

describe('waveforms', () => {
  it('shape values over time', () => {
    const sine = sampler({ kind: 'sine', amplitude: 10, offset: 50, periodMs: 1000 });
    expect(sine(0)).toBeCloseTo(50);
    expect(sine(250)).toBeCloseTo(60);
    expect(sine(750)).toBeCloseTo(40);
    const ramp = sampler({ kind: 'ramp', min: 0, max: 100, periodMs: 1000 });
    expect([ramp(0), ramp(500), ramp(1500)]).toEqual([0, 50, 50]);
    const step = sampler({ kind: 'step', values: [1, 5, 9], intervalMs: 100 });
    expect([step(0), step(150), step(250), step(350)]).toEqual([1, 5, 9, 1]);
    expect(sampler({ kind: 'fixed', value: 'ON' })(123)).toBe('ON');
  });

  it('walks randomly within bounds, the same walk for the same seed', () => {
    const walk = (seed: number) => {
      const next = sampler({ kind: 'randomWalk', start: 50, step: 5, min: 45, max: 55, seed });
      return Array.from({ length: 200 }, (_, i) => next(i) as number);
    };
    const values = walk(7);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(45);
    expect(Math.max(...values)).toBeLessThanOrEqual(55);
    expect(new Set(values).size).toBeGreaterThan(100);
    expect(walk(7)).toEqual(values);
    expect(walk(8)).not.toEqual(values);
  });
});
