// npm run bench:modbus — the Modbus drivers against their targets, each beside a same-run baseline:
//  1. Planner efficiency on an RTU line: 1,000 tags over 5 slaves with ~20 % address gaps, read
//     through the simulator's wire-timing model at 19,200 baud with a 10 ms response time (a pty
//     pair from socat). Registers per second on the line against the theoretical ceiling (back-to-
//     back reads of 125 registers), and the time of a full scan against the naive one request per
//     tag, measured on the same line in the same run.
//  2. Planning 10,000 tags (address parsing included).
//  3. Modbus TCP, sequential reads of 125 registers on loopback, TCP_NODELAY on and off: against
//     pymodbus (Debian's python3-pymodbus), against a bare socket client (what pymodbus itself can
//     serve), and against our own simulator.
import { Socket } from 'node:net';
import type { TagDataType } from '../common/enums.ts';
import type { DriverSettings, DriverTag } from '../main/drivers/driver-contract.ts';
import { ModbusDriver } from '../main/drivers/modbus/modbus-driver.ts';
import { ModbusLinePool } from '../main/drivers/modbus/modbus-line-pool.ts';
import { parseModbusAddress } from '../main/drivers/modbus/modbus-address.ts';
import { parseModbusDeviceSettings } from '../main/drivers/modbus/modbus-device-settings.ts';
import { TcpLine } from '../main/drivers/modbus/tcp-line.ts';
import { transactionWireMs, wireT35Ms } from '../main/simulator/modbus-rtu-server.ts';
import { startModbusSimulator } from '../main/simulator/modbus-simulator.ts';
import { startPtyPair } from '../test/services/socat-pty-pair.ts';
import { startPymodbusSlave } from '../test/services/pymodbus-slave.ts';
import { median, printBenchResult, round } from './bench-report.ts';

const BAUD = 19200;
const RESPONSE_MS = 10;
const SLAVES = 5;
const TAGS_PER_SLAVE = 200;
const GAP_CHANCE = 0.2;
const PLANNED_CYCLES = 5;
const NAIVE_SAMPLE_EVERY = 4; // the naive baseline reads every 4th tag (250 requests), timed per tag
const TCP_WINDOW_MS = 2000;
const TCP_RUNS = 3;

const SETTINGS: DriverSettings = {
  name: 'bench',
  scanIntervalMs: 1000,
  timeoutMs: 2000,
  maxConcurrent: 1,
  batchSize: 1000,
  maxRetries: 3,
  retryIntervalMs: 1000,
  exponentialBackoff: false,
  maxRetryIntervalMs: 1000,
};

/** A small seeded PRNG, so every run plans the same register maps. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

interface BenchTag extends DriverTag {
  registers: number;
}

/**
 * A typical device register map: 16-bit values, some 32-bit floats and status words whose bits
 * are tags; before ~20 % of the tags the map leaves 1–3 unused registers.
 */
function registerMap(slave: number, count: number): { tags: BenchTag[]; used: number } {
  const next = random(1000 + slave);
  const tags: BenchTag[] = [];
  let offset = 0;
  let used = 0;
  while (tags.length < count) {
    if (next() < GAP_CHANCE) offset += 1 + Math.floor(next() * 3);
    const kind = next();
    const add = (address: string, dataType: TagDataType, registers: number) =>
      tags.push({
        id: `s${slave}t${tags.length}`,
        name: `t${tags.length}`,
        address,
        dataType,
        accessType: 'Read',
        registers,
      });
    if (kind < 0.15) {
      add(`HR${offset}`, 'Float', 2);
      offset += 2;
      used += 2;
    } else if (kind < 0.25) {
      for (let bit = 0; bit < 4 && tags.length < count; bit++) add(`HR${offset}.${bit}`, 'Boolean', 1);
      offset += 1;
      used += 1;
    } else {
      add(`HR${offset}`, next() < 0.5 ? 'Int16' : 'UInt16', 1);
      offset += 1;
      used += 1;
    }
  }
  return { tags, used };
}

async function plannerEfficiency() {
  const pty = await startPtyPair();
  if (!pty) throw new Error('socat is needed for the RTU line benchmark (Debian package socat)');
  const timing = { baudRate: BAUD, responseTimeMs: RESPONSE_MS };
  const maps = Array.from({ length: SLAVES }, (_, i) => registerMap(i + 1, TAGS_PER_SLAVE));
  const simulator = await startModbusSimulator({
    rtu: { path: pty.slave, wireTiming: timing },
    slaves: maps.map((_, i) => ({ unitId: i + 1, everything: true })),
  });
  const pool = new ModbusLinePool();
  try {
    const line = { baudRate: BAUD, parity: 'none', maxGapRegisters: 8 };
    const drivers: ModbusDriver[] = [];
    for (let i = 0; i < SLAVES; i++) {
      const driver = new ModbusDriver('ModbusRtu', pool);
      await driver.initialise({
        device: {
          id: `d${i}`,
          name: `slave ${i + 1}`,
          protocol: 'ModbusRtu',
          endpoint: pty.master,
          config: { modbus: { unitId: i + 1, ...line } },
        },
        settings: SETTINGS,
        groups: [{ id: 'all', intervalMs: 1000, tags: maps[i]!.tags }],
      });
      await driver.connect();
      drivers.push(driver);
    }
    const blocks = drivers.flatMap((driver) => driver.blocksOf('all'));
    const lineRegisters = blocks.reduce((sum, block) => sum + block.count, 0);
    const usedRegisters = maps.reduce((sum, map) => sum + map.used, 0);
    const tagCount = maps.reduce((sum, map) => sum + map.tags.length, 0);

    // Planned: every slave scanned in turn, as the manager does on one line.
    const cycleMs: number[] = [];
    for (let cycle = 0; cycle < PLANNED_CYCLES; cycle++) {
      const started = performance.now();
      const outcomes = await Promise.all(drivers.map((driver) => driver.scan('all')));
      cycleMs.push(performance.now() - started);
      const bad = outcomes.flatMap((outcome) => outcome.readings).filter((reading) => !reading.ok);
      if (bad.length) throw new Error(`planned scan failed: ${JSON.stringify(bad[0])}`);
    }
    const plannedCycleMs = median(cycleMs);

    // Naive: one request per tag, on the same line.
    const serial = pool.acquire(parseModbusDeviceSettings('ModbusRtu', pty.master, { modbus: line }), 'naive', 2000);
    await serial.open();
    let naiveRequests = 0;
    const naiveStarted = performance.now();
    for (let slave = 0; slave < SLAVES; slave++) {
      for (const [index, tag] of maps[slave]!.tags.entries()) {
        if (index % NAIVE_SAMPLE_EVERY !== 0) continue;
        const address = parseModbusAddress(tag.address, tag.dataType);
        await serial.transact(
          { functionCode: 3, unitId: slave + 1, address: address.offset, count: address.count },
          { timeoutMs: 2000 },
        );
        naiveRequests++;
      }
    }
    const naivePerTagMs = (performance.now() - naiveStarted) / naiveRequests;
    const naiveCycleMs = naivePerTagMs * tagCount;
    await pool.release(serial);

    const ceilingTransactionMs = transactionWireMs(8, 5 + 2 * 125, timing) + wireT35Ms(BAUD);
    const ceiling = 125 / (ceilingTransactionMs / 1000);
    const lineRate = lineRegisters / (plannedCycleMs / 1000);
    const usefulRate = usedRegisters / (plannedCycleMs / 1000);
    const naiveUsefulRate = usedRegisters / (naiveCycleMs / 1000);
    console.log(`RTU line: ${BAUD} baud, ${RESPONSE_MS} ms response time, ${tagCount} tags on ${SLAVES} slaves`);
    console.log(
      `  planned: ${blocks.length} reads, ${lineRegisters} registers on the line (${usedRegisters} used by tags)`,
    );
    console.log(
      `  full scan: planned ${round(plannedCycleMs)} ms (median of ${PLANNED_CYCLES}), naive ${round(naiveCycleMs)} ms (${naiveRequests} requests timed, ${round(naivePerTagMs)} ms each)`,
    );
    console.log(
      `  registers/s on the line: ${round(lineRate)} of a theoretical ${round(ceiling)} (${round((100 * lineRate) / ceiling)} %)`,
    );
    console.log(
      `  tag registers/s: planned ${round(usefulRate)}, naive ${round(naiveUsefulRate)} (${round(naiveCycleMs / plannedCycleMs)}×)`,
    );
    return { ceiling, lineRate, usefulRate, naiveUsefulRate, speedup: naiveCycleMs / plannedCycleMs };
  } finally {
    await pool.closeAll();
    await simulator.stop();
    await pty.stop();
  }
}

/**
 * 10,000 tags of one device planned from scratch (address parsing included), in the order the
 * database lists them (by name, so not by address). Wall time and this process's CPU time.
 */
async function planningTime() {
  const { tags } = registerMap(0, 10_000);
  const next = random(42);
  for (let i = tags.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [tags[i], tags[j]] = [tags[j] as BenchTag, tags[i] as BenchTag];
  }
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < 25; run++) {
    const driver = new ModbusDriver('ModbusTcp', new ModbusLinePool());
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await driver.initialise({
      device: { id: 'd', name: 'planner', protocol: 'ModbusTcp', endpoint: '127.0.0.1:502', config: {} },
      settings: SETTINGS,
      groups: [{ id: 'all', intervalMs: 1000, tags }],
    });
    wall.push(performance.now() - started);
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / 1000);
    if (run === 0) console.log(`planning 10,000 tags: ${driver.blocksOf('all').length} reads`);
  }
  console.log(
    `  parse + plan: median ${round(median(wall), 3)} ms wall, ${round(median(cpu), 3)} ms CPU (${wall.length} runs)`,
  );
  return { wall: median(wall), cpu: median(cpu) };
}

/** Sequential FC03 reads of 125 registers for a window; requests per second. */
async function tcpRate(port: number, noDelay: boolean): Promise<number> {
  const line = new TcpLine({ host: '127.0.0.1', port, noDelay, connectTimeoutMs: 2000 });
  await line.open();
  try {
    for (let i = 0; i < 200; i++)
      await line.transact({ functionCode: 3, unitId: 1, address: 0, count: 125 }, { timeoutMs: 2000 });
    let requests = 0;
    const started = performance.now();
    while (performance.now() - started < TCP_WINDOW_MS) {
      await line.transact({ functionCode: 3, unitId: 1, address: 0, count: 125 }, { timeoutMs: 2000 });
      requests++;
    }
    return requests / ((performance.now() - started) / 1000);
  } finally {
    await line.close();
  }
}

/** The same reads from a bare socket with a prebuilt request: the most a server can be asked. */
async function bareSocketRate(port: number): Promise<number> {
  const socket = new Socket();
  await new Promise<void>((resolve, reject) => socket.connect(port, '127.0.0.1', resolve).once('error', reject));
  socket.setNoDelay(true);
  const request = Buffer.from([0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 125]);
  const expected = 9 + 250;
  try {
    return await new Promise<number>((resolve) => {
      let received = 0;
      let requests = 0;
      const started = performance.now();
      socket.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received < expected) return;
        received -= expected;
        requests++;
        if (performance.now() - started < TCP_WINDOW_MS) socket.write(request);
        else resolve(requests / ((performance.now() - started) / 1000));
      });
      socket.write(request);
    });
  } finally {
    socket.destroy();
  }
}

async function medianOf(runs: number, measure: () => Promise<number>): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < runs; i++) values.push(await measure());
  return median(values);
}

async function tcpThroughput() {
  const registers = Object.fromEntries(Array.from({ length: 125 }, (_, i) => [i, i]));
  const pymodbus = await startPymodbusSlave({ mode: 'tcp' }, { 1: { hr: registers } });
  if (!pymodbus) throw new Error('pymodbus is needed for the TCP benchmark (Debian package python3-pymodbus)');
  const simulator = await startModbusSimulator({ tcp: { port: 0 }, slaves: [{ unitId: 1, everything: true }] });
  try {
    const result = {
      pymodbusNoDelay: await medianOf(TCP_RUNS, () => tcpRate(pymodbus.port, true)),
      pymodbusNagle: await medianOf(TCP_RUNS, () => tcpRate(pymodbus.port, false)),
      pymodbusBare: await medianOf(TCP_RUNS, () => bareSocketRate(pymodbus.port)),
      simulatorNoDelay: await medianOf(TCP_RUNS, () => tcpRate(simulator.tcpPort as number, true)),
      simulatorNagle: await medianOf(TCP_RUNS, () => tcpRate(simulator.tcpPort as number, false)),
      simulatorBare: await medianOf(TCP_RUNS, () => bareSocketRate(simulator.tcpPort as number)),
    };
    console.log('Modbus TCP, sequential reads of 125 registers on loopback (median req/s):');
    console.log(
      `  pymodbus:  TCP_NODELAY ${round(result.pymodbusNoDelay)}, Nagle on ${round(result.pymodbusNagle)}; bare socket client ${round(result.pymodbusBare)} (what pymodbus itself serves)`,
    );
    console.log(
      `  simulator: TCP_NODELAY ${round(result.simulatorNoDelay)}, Nagle on ${round(result.simulatorNagle)}; bare socket client ${round(result.simulatorBare)}`,
    );
    return result;
  } finally {
    await simulator.stop();
    await pymodbus.stop();
  }
}

const planning = await planningTime();
const rtu = await plannerEfficiency();
const tcp = await tcpThroughput();

printBenchResult('modbus', {
  rtu_line_registers_per_s: {
    value: round(rtu.lineRate),
    unit: 'registers/s',
    target: `>=${round(0.85 * rtu.ceiling)}`,
    baseline: round(rtu.ceiling),
  },
  rtu_tag_registers_per_s: {
    value: round(rtu.usefulRate),
    unit: 'registers/s',
    target: '',
    baseline: round(rtu.naiveUsefulRate),
  },
  rtu_speedup_vs_naive: { value: round(rtu.speedup), unit: 'x', target: '>=12', baseline: 1 },
  planning_10k_tags_ms: { value: round(planning.wall, 3), unit: 'ms', target: '<=10', baseline: null },
  planning_10k_tags_cpu_ms: { value: round(planning.cpu, 3), unit: 'ms', target: '<=10', baseline: null },
  tcp_pymodbus_req_per_s: {
    value: round(tcp.pymodbusNoDelay),
    unit: 'req/s',
    target: '>=5000',
    baseline: round(tcp.pymodbusNagle),
  },
  tcp_pymodbus_bare_client_req_per_s: { value: round(tcp.pymodbusBare), unit: 'req/s', target: '', baseline: null },
  tcp_simulator_bare_client_req_per_s: { value: round(tcp.simulatorBare), unit: 'req/s', target: '', baseline: null },
  tcp_simulator_req_per_s: {
    value: round(tcp.simulatorNoDelay),
    unit: 'req/s',
    target: '>=5000',
    baseline: round(tcp.simulatorNagle),
  },
});
