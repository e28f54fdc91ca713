// npm run bench:ui — the workstation UI in Debian's Chromium against the built headless server
// (run `npm run build` first; `npm run serve` builds and then starts the same out/main/serve.js).
//
//  1. Start to interactive login: from spawning the server on a data folder that has an
//     administrator (and the 10,000 tags and the trend history below) to the sign-in page's
//     button being usable in the browser. Target ≤ 3 s. The page is served while the gateway
//     still starts, so the baseline in the same run is the spawn to /healthz answering 200: the
//     gateway fully started. Also measured: the page after the HTTP server first answered (what
//     the UI adds), and the spawn to being signed in when the form is sent the moment it is
//     usable (the sign-in waits for the gateway). BENCH_UI_ONLY=start measures this metric alone
//     (on the same data folder).
//  2. Tag browser with 10,000 tags updating at 1 Hz: the 10,000 tags are UInt16 registers of a
//     Modbus TCP device served by a simulator in this process (every register moves every
//     250 ms), polled by the gateway every second, so every value changes once a second and flows
//     through the real path (driver → codec → bus → WAL → tags.live → the page). The grid is
//     scrolled continuously for a few seconds (one scroll step per animation frame) while the
//     values arrive; frame intervals (p95 in whole display refreshes, target ≤ 16.7 ms = 95% of
//     the 60 Hz frames on time; the share of late frames is printed too) and long tasks (> 50 ms,
//     target 0) are measured in the page, and with them where the renderer's time
//     went per frame (Chromium's counters: main thread script, style, layout; CPU of the main
//     thread and of the whole renderer process). Baseline in the same run: the same page
//     left idle for as long before the device is switched on (no updates). Also printed: the
//     scroll without updates, the idle page with updates, and the update rate a second client of
//     tags.live receives for the device (tagGridUpdatesPerS: all 10,000 tags do change every
//     second; the page itself streams only the rows in view and around them).
//     BENCH_UI_ONLY=grid measures metrics 1 and 2 and skips the trend.
//     Each of these phases also prints the CPU every process spent meanwhile, in ms per second
//     (2 cores: 2,000 ms/s in all): the gateway's main (JavaScript) thread and its other threads
//     (RocksDB, libuv, GC), this process (the Modbus simulator, Playwright), Chromium's renderer,
//     GPU and browser processes, and the rest of the machine. BENCH_UI_GATEWAY_PROFILE=<folder>
//     runs the gateway of metrics 2 and 3 under `node --cpu-prof` and leaves its CPU profile
//     (from its start to its stop) in that folder, to open in Chromium's DevTools.
//
//  3. Trend of 8 pens × 24 h at 1 Hz: the embedded historian store of the data folder is seeded
//     with 8 × 86,400 samples; the Trends screen opens them (last 24 h, server-side downsampled to
//     the chart's width) TREND_RENDERS times. Measured in the page: from the query's answer
//     arriving to the chart being on screen (performance marks 'trend-data' → 'trend-drawn', the
//     latter once every pen has drawn that answer and the next frame has been painted). Target
//     ≤ 300 ms. Baseline in the same run: the data-arrival
//     time itself (request → answer over the WebSocket, the historian's downsampling included).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { CHROMIUM_PATH } from '../e2e/support/chromium.ts';
import { parseGatewayConfig } from '../main/config/gateway-config.ts';
import type { LabelledPoint } from '../main/historian/historian-backend.ts';
import { createHistorianBackend } from '../main/historian/start-historian.ts';
import { startModbusSimulator, type ModbusSimulator } from '../main/simulator/modbus-simulator.ts';
import type { SimulatedPoint } from '../main/simulator/simulated-slave.ts';
import { wsApiClient } from '../test/ws-api-client.ts';
import { median, percentile, printBenchResult, round } from './bench-report.ts';
import { descendants, machineCpuMs, mainThreadCpuMs, ownCpuMs, processCpuMs } from './process-cpu.ts';

const STARTS = 3;
const PEN_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
const TAGS = 10_000;
const SCROLL_MS = 5_000;
const UPDATE_RATE_MS = 5_000;
const TREND_PENS = 8;
const DAY_SECONDS = 86_400;
const TREND_RENDERS = 5;
const ADMIN = { username: 'engineer', password: 'measured passphrase 1' };
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** `profileDir`: run it under `node --cpu-prof`, which writes the profile there when it exits. */
function startServer(dataDir: string, port: number, profileDir?: string): ChildProcess {
  const profile = profileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-name=gateway.cpuprofile']
    : [];
  const args = [...profile, 'out/main/serve.js', '--port', String(port), '--data-dir', dataDir, '--demo'];
  return spawn(process.execPath, args, { stdio: 'ignore', env: { ...process.env, DATABASE_URL: '' } });
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  await exited;
}

async function waitFor<T>(attempt: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

interface StartTiming {
  /** spawn → the sign-in button usable */
  login: number;
  /** spawn → the HTTP server's first answer (/healthz, any status) */
  httpUp: number;
  /** spawn → /healthz 200: the gateway fully started */
  gatewayReady: number;
  /** spawn → signed in, the form sent as soon as it was usable */
  signedIn: number;
}

async function measureStart(page: Page, dataDir: string): Promise<StartTiming> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = startServer(dataDir, port);
  try {
    // The page is opened once the server answers, as a user opens the address it prints (a
    // browser retrying a refused connection in a loop would reload a page that is loading).
    let httpUp: number | undefined;
    const health = waitFor(async () => {
      const response = await fetch(`${url}/healthz`);
      httpUp ??= performance.now() - started;
      if (!response.ok) throw new Error(`healthz ${response.status}`);
    }).then(() => ({ httpUp: httpUp as number, gatewayReady: performance.now() - started }));
    await waitFor(async () => {
      if (httpUp === undefined) throw new Error('not listening yet');
    });
    await page.goto(url, { timeout: 60_000 });
    const button = page.getByRole('button', { name: 'Sign in' });
    await button.waitFor({ state: 'visible', timeout: 60_000 });
    if (!(await button.isEnabled())) throw new Error('the Sign in button is visible but disabled');
    const login = performance.now() - started;
    await page.getByRole('textbox', { name: 'Username', exact: true }).fill(ADMIN.username);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password);
    await button.click();
    await page.getByTestId('current-user').waitFor({ timeout: 60_000 });
    const signedIn = performance.now() - started;
    return { login, signedIn, ...(await health) };
  } finally {
    await stopServer(child);
  }
}

interface FrameSample {
  intervals: number[];
  longTasks: number[];
  /** where the renderer's time went meanwhile, per frame delivered */
  cost: FrameCost;
  /** CPU of every process meanwhile, ms per second */
  cpu: CpuShares;
}

/** CPU time per second of wall-clock time, by process (2 cores: 2,000 in all). */
interface CpuShares {
  gatewayMain: number;
  gatewayOther: number;
  bench: number;
  renderer: number;
  gpu: number;
  browser: number;
  rest: number;
}

/** Cumulative CPU ms of each process (by pid) and of the machine, at one moment. */
interface CpuSnapshot {
  at: number;
  machine: number;
  bench: number;
  gatewayMain: number;
  gateway: number;
  /** Chromium's processes by pid, with their kind */
  chromium: Map<number, { kind: 'renderer' | 'gpu' | 'browser'; ms: number }>;
}

function chromiumKind(command: string): 'renderer' | 'gpu' | 'browser' {
  if (command.includes('--type=renderer')) return 'renderer';
  if (command.includes('--type=gpu-process')) return 'gpu';
  // the browser process itself, and its zygote and utility processes (network, storage)
  return 'browser';
}

function cpuSnapshot(gatewayPid: number | undefined): CpuSnapshot {
  const chromium = new Map<number, { kind: 'renderer' | 'gpu' | 'browser'; ms: number }>();
  for (const child of descendants(process.pid)) {
    if (child.pid === gatewayPid || !/chrom/i.test(child.command)) continue;
    const ms = processCpuMs(child.pid);
    if (ms !== undefined) chromium.set(child.pid, { kind: chromiumKind(child.command), ms });
  }
  return {
    at: performance.now(),
    machine: machineCpuMs(),
    bench: ownCpuMs(),
    gatewayMain: mainThreadCpuMs(gatewayPid) ?? Number.NaN,
    gateway: processCpuMs(gatewayPid) ?? Number.NaN,
    chromium,
  };
}

function cpuShares(before: CpuSnapshot, after: CpuSnapshot): CpuShares {
  const seconds = (after.at - before.at) / 1000;
  const chromium = { renderer: 0, gpu: 0, browser: 0 };
  // a process started meanwhile counts from zero; one that ended meanwhile is lost (in `rest`)
  for (const [pid, now] of after.chromium) chromium[now.kind] += now.ms - (before.chromium.get(pid)?.ms ?? 0);
  const shares = {
    gatewayMain: after.gatewayMain - before.gatewayMain,
    gatewayOther: after.gateway - after.gatewayMain - (before.gateway - before.gatewayMain),
    bench: after.bench - before.bench,
    ...chromium,
  };
  const named = Object.values(shares).reduce((sum, ms) => sum + ms, 0);
  const all = { ...shares, rest: after.machine - before.machine - named };
  return Object.fromEntries(Object.entries(all).map(([name, ms]) => [name, ms / seconds])) as unknown as CpuShares;
}

/** Per frame: the renderer's main thread (all of it, and its script, style and layout) and CPU. */
interface FrameCost {
  taskMs: number;
  scriptMs: number;
  styleMs: number;
  layoutMs: number;
  /** CPU time of the main thread */
  mainCpuMs: number;
  /** CPU time of the whole renderer process (main thread, compositor, raster workers) */
  processCpuMs: number;
}

// Chromium's own counters (CDP Performance.getMetrics, seconds): no tracing overhead.
const COST_METRICS = {
  taskMs: 'TaskDuration',
  scriptMs: 'ScriptDuration',
  styleMs: 'RecalcStyleDuration',
  layoutMs: 'LayoutDuration',
  mainCpuMs: 'ThreadTime',
  processCpuMs: 'ProcessTime',
} as const;

// One session per page, enabled throughout: Chromium counts these only while it is enabled.
const counterSessions = new WeakMap<Page, Promise<CDPSession>>();

async function rendererCounters(page: Page): Promise<Map<string, number>> {
  let session = counterSessions.get(page);
  if (!session) {
    session = page
      .context()
      .newCDPSession(page)
      .then(async (opened) => (await opened.send('Performance.enable'), opened));
    counterSessions.set(page, session);
  }
  const { metrics } = await (await session).send('Performance.getMetrics');
  return new Map(metrics.map((metric) => [metric.name, metric.value]));
}

// Runs in the page (a string: this file is type-checked for Node, not for the DOM). One scroll
// step of ~3 rows per animation frame, back and forth over the whole list, or none (idle).
const FRAMES_IN_PAGE = `(durationMs, scroll) => new Promise((resolve) => {
  const longTasks = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask', buffered: false });
  const scroller = document.querySelector('[data-testid="tag-grid-scroller"]');
  const intervals = [];
  let last = performance.now();
  const end = last + durationMs;
  let direction = 1;
  const frame = (now) => {
    intervals.push(now - last);
    last = now;
    if (scroll && scroller) {
      scroller.scrollTop += direction * 97;
      if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1) direction = -1;
      if (scroller.scrollTop <= 0) direction = 1;
    }
    if (now < end) requestAnimationFrame(frame);
    else {
      observer.disconnect();
      resolve({ intervals: intervals.slice(1), longTasks });
    }
  };
  requestAnimationFrame(frame);
})`;

/**
 * An interval between two frames in whole display refreshes of `refreshMs`. The page can only show
 * a frame at a refresh, and Chromium coarsens the timestamps requestAnimationFrame gets (to 0.1 ms),
 * so a frame on time measures 16.6–16.8 ms at 60 Hz: counted in refreshes it is one, and a frame
 * that missed a refresh two.
 */
function refreshes(intervalMs: number, refreshMs: number): number {
  return Math.max(1, Math.round(intervalMs / refreshMs));
}

/** The p95 frame interval in whole refreshes, in ms: 16.7 at 60 Hz while 95% of frames are on time. */
function frameP95Ms(intervals: readonly number[], refreshMs: number): number {
  return (
    percentile(
      intervals.map((ms) => refreshes(ms, refreshMs)),
      95,
    ) * refreshMs
  );
}

/** The share of frames that came one refresh or more late. */
function lateShare(intervals: readonly number[], refreshMs: number): number {
  return intervals.filter((ms) => refreshes(ms, refreshMs) > 1).length / Math.max(1, intervals.length);
}

/**
 * Frame intervals and long tasks in the page for SCROLL_MS, scrolling the grid or idle, and the
 * CPU each process spent meanwhile.
 */
async function framesDuring(page: Page, scroll: boolean, gatewayPid: number | undefined): Promise<FrameSample> {
  const before = await rendererCounters(page);
  const cpuBefore = cpuSnapshot(gatewayPid);
  const frames = (await page.evaluate(`(${FRAMES_IN_PAGE})(${SCROLL_MS}, ${scroll})`)) as Pick<
    FrameSample,
    'intervals' | 'longTasks'
  >;
  const cpu = cpuShares(cpuBefore, cpuSnapshot(gatewayPid));
  const after = await rendererCounters(page);
  const perFrame = (name: string) =>
    (((after.get(name) ?? 0) - (before.get(name) ?? 0)) * 1000) / Math.max(1, frames.intervals.length);
  const cost = Object.fromEntries(
    Object.entries(COST_METRICS).map(([key, name]) => [key, perFrame(name)]),
  ) as unknown as FrameCost;
  return { ...frames, cost, cpu };
}

/** The Bench device's 10,000 registers: half holding, half input registers, each its own ramp. */
function benchTagAddress(i: number): string {
  return i < TAGS / 2 ? String(40001 + i) : String(30001 + i - TAGS / 2);
}

/** Every register moves 1,000 counts a second (a ramp over a minute), so each 1 s scan differs. */
function startBenchSimulator(): Promise<ModbusSimulator> {
  const points: SimulatedPoint[] = [];
  for (let i = 0; i < TAGS; i++) {
    const min = i % 1000;
    points.push({
      address: benchTagAddress(i),
      dataType: 'UInt16',
      waveform: { kind: 'ramp', min, max: min + 60_000, periodMs: 60_000 },
    });
  }
  return startModbusSimulator({ tcp: { host: '127.0.0.1', port: 0 }, slaves: [{ unitId: 1, points }], tickMs: 250 });
}

interface UpdateRate {
  /** tag values a second a tags.live client of the Bench device receives */
  values: number;
  /** of those, scans a second: distinct source timestamps per tag (a poll of a tag is one) */
  scans: number;
  /** frames a second the gateway's bus published meanwhile (every type, every device) */
  busFrames: number;
}

/**
 * What the tag browser's live stream carries once every Bench tag has a value: the values a
 * second client of tags.live receives for the Bench device over UPDATE_RATE_MS (intervalMs
 * 100, so it sees each scan of each tag), and the bus's frame rate for comparison.
 */
async function updateRate(api: ReturnType<typeof wsApiClient>['api'], deviceId: string): Promise<UpdateRate> {
  await waitFor(async () => {
    const { tagsWithValues } = await api.system.metrics.query();
    if (tagsWithValues < TAGS) throw new Error(`${tagsWithValues} of ${TAGS} tags have a value`);
  }, 120_000);
  let values = 0;
  const scans = new Set<string>();
  let counting = false;
  const subscription = api.tags.live.subscribe(
    { deviceIds: [deviceId], intervalMs: 100 },
    {
      onData(message) {
        if (!counting || message.kind !== 'update') return;
        values += message.values.length;
        for (const view of message.values) scans.add(`${view.tagId}@${view.sourceTime}`);
      },
    },
  );
  try {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const before = await api.system.metrics.query();
    counting = true;
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, UPDATE_RATE_MS));
    counting = false;
    const seconds = (performance.now() - started) / 1000;
    const after = await api.system.metrics.query();
    return {
      values: values / seconds,
      scans: scans.size / seconds,
      busFrames: ((after.bus.published - before.bus.published) * 1000) / (after.at.getTime() - before.at.getTime()),
    };
  } finally {
    subscription.unsubscribe();
  }
}

/**
 * With BENCH_UI_PROFILE=<folder>, a measured phase is recorded there: the page's JavaScript CPU
 * profile as <name>.cpuprofile and a Chromium trace (style, layout, paint, raster, GC) as
 * <name>.trace.json; both open in Chromium's DevTools. That is where the frame time goes.
 */
async function profiled<T>(page: Page, name: string, phase: () => Promise<T>): Promise<T> {
  const folder = process.env.BENCH_UI_PROFILE;
  if (!folder) return phase();
  await mkdir(folder, { recursive: true });
  const browser = page.context().browser()!;
  await browser.startTracing(page, {
    path: path.join(folder, `${name}.trace.json`),
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink', 'cc', 'gpu', 'viz'],
  });
  const session = await page.context().newCDPSession(page);
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 200 });
  await session.send('Profiler.start');
  try {
    return await phase();
  } finally {
    const { profile } = await session.send('Profiler.stop');
    await writeFile(path.join(folder, `${name}.cpuprofile`), JSON.stringify(profile));
    await session.detach();
    await browser.stopTracing();
  }
}

interface BenchTag {
  id: string;
  name: string;
  unit: string | null;
}

/** 8 tags × 24 h at 1 Hz into the data folder's embedded series store (the server is stopped). */
async function seedTrendHistory(dataDir: string, tags: readonly BenchTag[], deviceId: string): Promise<void> {
  const backend = await createHistorianBackend(parseGatewayConfig({ dataDir }).historian, path.join(dataDir, 'series'));
  try {
    const endMs = Math.floor(Date.now() / 1000) * 1000;
    const startMs = endMs - DAY_SECONDS * 1000;
    for (const [i, tag] of tags.entries()) {
      const labels = {
        tagId: tag.id,
        deviceId,
        deviceName: 'Trend bench',
        tagName: tag.name,
        protocol: 'ModbusTcp',
        location: '',
        unit: tag.unit ?? '',
      };
      for (let from = 0; from < DAY_SECONDS; from += 20_000) {
        const batch: LabelledPoint[] = [];
        for (let second = from; second < Math.min(DAY_SECONDS, from + 20_000); second++) {
          const value = 50 + 20 * Math.sin(second / 900 + i) + ((second * 7919) % 13) * 0.3;
          batch.push({
            labels,
            tagId: tag.id,
            deviceId,
            timeNs: BigInt(startMs + second * 1000) * 1_000_000n,
            value,
            rawValue: value,
            quality: 0,
            errorCode: 0,
          });
        }
        await backend.writeDevicePoints(batch);
      }
    }
  } finally {
    await backend.close();
  }
}

interface TrendTiming {
  /** request sent → answer arrived in the page */
  dataMs: number;
  /** answer arrived → chart on screen */
  renderMs: number;
  /** buckets per pen on the chart */
  buckets: number;
}

// Runs in the page: the last query's marks, once the chart has drawn its answer.
const TREND_TIMING_IN_PAGE = `() => {
  const last = (name) => performance.getEntriesByName(name).at(-1);
  const query = last('trend-query');
  const data = last('trend-data');
  if (!query || !data || data.startTime < query.startTime) return null;
  const drawn = performance
    .getEntriesByName('trend-drawn')
    .find((mark) => mark.startTime > data.startTime && mark.detail.buckets > 0);
  if (!drawn) return null;
  return {
    dataMs: data.startTime - query.startTime,
    renderMs: drawn.startTime - data.startTime,
    buckets: drawn.detail.buckets,
  };
}`;

/** Opens the Trends screen afresh (from another screen) and times its query and drawing. */
async function measureTrend(page: Page): Promise<TrendTiming> {
  await page.evaluate(`performance.clearMarks(); location.hash = '#/overview'`);
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  await page.evaluate(`location.hash = '#/trends'`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const timing = (await page.evaluate(`(${TREND_TIMING_IN_PAGE})()`)) as TrendTiming | null;
    if (timing) return timing;
    if (Date.now() > deadline) throw new Error('the trend was not drawn within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gw-bench-ui-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const simulator = await startBenchSimulator();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });

    // A data folder with an administrator and 10,000 tags, made by a first start.
    const port = await freePort();
    const first = startServer(dataDir, port);
    const url = `http://127.0.0.1:${port}`;
    const client = await waitFor(async () => {
      const candidate = wsApiClient({ baseUrl: url });
      try {
        await candidate.api.auth.setup.mutate(ADMIN);
        return candidate;
      } catch (error) {
        candidate.close();
        throw error;
      }
    });
    console.log(`importing ${TAGS} tags…`);
    // Switched on for metric 2 only. Its own driver configuration: a device naming none gets the
    // first of its protocol, here the demo devices' (scanned every 500 ms, which made this 2 Hz).
    const scan = await client.api.drivers.configs.create.mutate({
      name: 'Bench 1 Hz',
      protocol: 'ModbusTcp',
      connectionType: 'tcp',
      scanInterval: 1_000,
    });
    const benchDevice = await client.api.devices.create.mutate({
      name: 'Bench',
      protocol: 'ModbusTcp',
      endpoint: `${simulator.tcpHost}:${simulator.tcpPort}`,
      config: { driverConfig: scan.name },
      enabled: false,
    });
    const lines = ['device,name,address,dataType,unit'];
    for (let i = 0; i < TAGS; i++)
      lines.push(`Bench,tag_${String(i).padStart(5, '0')},${benchTagAddress(i)},UInt16,kPa`);
    const report = await client.api.tags.import.mutate({ format: 'csv', content: lines.join('\n') });
    if (!report.applied) throw new Error(`tag import failed: ${JSON.stringify(report.problems.slice(0, 3))}`);
    // 8 pens for the trend (two units, so two Y axes), with a day of history
    const trendDevice = await client.api.devices.create.mutate({
      name: 'Trend bench',
      protocol: 'ModbusTcp',
      endpoint: '127.0.0.1:1',
      enabled: false,
    });
    const trendTags: BenchTag[] = [];
    for (let i = 0; i < TREND_PENS; i++) {
      const unit = i < TREND_PENS / 2 ? '°C' : 'bar';
      const tag = await client.api.tags.create.mutate({
        deviceId: trendDevice.id,
        name: `trend_${i}`,
        address: String(40001 + i * 2),
        dataType: 'Float',
        unit,
      });
      trendTags.push({ id: tag.id, name: tag.name, unit });
    }
    client.close();
    await stopServer(first);
    console.log(`seeding the embedded historian with ${TREND_PENS} × ${DAY_SECONDS} samples…`);
    await seedTrendHistory(dataDir, trendTags, trendDevice.id);

    // 1. Start to interactive login.
    const starts: StartTiming[] = [];
    for (let i = 0; i < STARTS; i++) {
      const timing = await measureStart(page, dataDir);
      starts.push(timing);
      console.log(
        `start ${i + 1}: HTTP up ${round(timing.httpUp, 0)} ms, sign-in page usable ${round(timing.login, 0)} ms,` +
          ` gateway ready ${round(timing.gatewayReady, 0)} ms, signed in ${round(timing.signedIn, 0)} ms`,
      );
    }
    const startMetrics = {
      startToLoginMs: {
        value: round(median(starts.map((start) => start.login)), 0),
        unit: 'ms',
        target: '<=3000',
        baseline: round(median(starts.map((start) => start.gatewayReady)), 0),
      },
      // what the UI adds once the HTTP server answers: page, scripts, WebSocket, system.startup
      loginAfterHttpUpMs: {
        value: round(median(starts.map((start) => start.login - start.httpUp)), 0),
        unit: 'ms',
        target: '<=3000',
        baseline: null,
      },
    };
    console.log(
      `median: sign-in usable ${startMetrics.startToLoginMs.value} ms, gateway ready ${startMetrics.startToLoginMs.baseline} ms,` +
        ` signed in ${round(median(starts.map((start) => start.signedIn)), 0)} ms (form sent at once)`,
    );
    if (process.env.BENCH_UI_ONLY === 'start') {
      printBenchResult('ui', startMetrics);
      return;
    }

    // 2. The tag browser with 10,000 tags, without and with their 1 Hz updates.
    const gridPort = await freePort();
    const profileDir = process.env.BENCH_UI_GATEWAY_PROFILE;
    if (profileDir) await mkdir(profileDir, { recursive: true });
    const server = startServer(dataDir, gridPort, profileDir && path.resolve(profileDir));
    const gridUrl = `http://127.0.0.1:${gridPort}`;
    try {
      await waitFor(() => page.goto(`${gridUrl}/#/tags`, { timeout: 2_000 }));
      await page.getByRole('textbox', { name: 'Username', exact: true }).fill(ADMIN.username);
      await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page
        .getByTestId('tag-count')
        .filter({ hasText: /of 10,0\d\d tags/ })
        .waitFor({ timeout: 60_000 });
      const idle = await framesDuring(page, false, server.pid);
      // the display's refresh, as the idle page without updates measured it
      const refreshMs = idle.intervals.reduce((sum, ms) => sum + ms, 0) / idle.intervals.length;
      const describe = (name: string, sample: FrameSample) =>
        console.log(
          `${name.padEnd(34)} frames ${sample.intervals.length}  interval p50 ${round(percentile(sample.intervals, 50))} ms` +
            `  p95 ${round(percentile(sample.intervals, 95))} ms  max ${round(Math.max(...sample.intervals))} ms` +
            `  late ${round(lateShare(sample.intervals, refreshMs) * 100, 1)}%` +
            `  long tasks ${sample.longTasks.length} (max ${round(Math.max(0, ...sample.longTasks))} ms)\n` +
            `${''.padEnd(34)} per frame: main thread ${round(sample.cost.taskMs)} ms (script ${round(sample.cost.scriptMs)},` +
            ` style ${round(sample.cost.styleMs)}, layout ${round(sample.cost.layoutMs)}), CPU: main thread ${round(sample.cost.mainCpuMs)} ms,` +
            ` renderer ${round(sample.cost.processCpuMs)} ms\n` +
            `${''.padEnd(34)} CPU ms/s: gateway main thread ${round(sample.cpu.gatewayMain, 0)},` +
            ` other threads ${round(sample.cpu.gatewayOther, 0)}; bench ${round(sample.cpu.bench, 0)};` +
            ` Chromium renderer ${round(sample.cpu.renderer, 0)}, GPU ${round(sample.cpu.gpu, 0)},` +
            ` browser ${round(sample.cpu.browser, 0)}; rest ${round(sample.cpu.rest, 0)}`,
        );
      describe('idle page, no updates (baseline)', idle);
      describe('scrolling, no updates', await framesDuring(page, true, server.pid));

      // The Bench device on: the gateway polls its 10,000 registers every second.
      const admin = wsApiClient({ baseUrl: gridUrl });
      await admin.api.auth.login.mutate(ADMIN);
      await admin.api.devices.update.mutate({ id: benchDevice.id, enabled: true });
      const rate = await updateRate(admin.api, benchDevice.id);
      console.log(
        `live updates: a tags.live client receives ${round(rate.values, 0)} tag values/s (${round(rate.scans, 0)} distinct` +
          ` tag scans/s) of ${TAGS} tags at 1 Hz; the bus publishes ${round(rate.busFrames, 0)} frames/s`,
      );
      if (rate.values < TAGS * 0.9)
        console.log(`WARNING: fewer updates than ${TAGS}/s: the gateway cannot poll them all every second here`);
      describe('idle page, 10,000 tags at 1 Hz', await framesDuring(page, false, server.pid));
      const scrolling = await profiled(page, 'scrolling-with-updates', () => framesDuring(page, true, server.pid));
      describe('scrolling, 10,000 tags at 1 Hz', scrolling);
      // off again: the trend is measured without 10,000 values a second going to the historian
      await admin.api.devices.update.mutate({ id: benchDevice.id, enabled: false });
      admin.close();
      const gridMetrics = {
        tagGridFrameP95Ms: {
          value: round(frameP95Ms(scrolling.intervals, refreshMs), 1),
          unit: 'ms',
          target: '<=16.7',
          baseline: round(frameP95Ms(idle.intervals, refreshMs), 1),
        },
        // the same frames as a share: how far the p95 is from missing (it does above 5%)
        tagGridLateFramesPct: {
          value: round(lateShare(scrolling.intervals, refreshMs) * 100, 1),
          unit: '%',
          target: '<=5',
          baseline: round(lateShare(idle.intervals, refreshMs) * 100, 1),
        },
        // the workload: tag values a second a tags.live client of the 10,000 tags receives
        tagGridUpdatesPerS: {
          value: round(rate.values, 0),
          unit: 'values/s',
          target: `>=${TAGS}`,
          baseline: null,
        },
        tagGridLongTasks: {
          value: scrolling.longTasks.length,
          unit: 'tasks > 50 ms',
          target: '<=0',
          baseline: idle.longTasks.length,
        },
        // what the gateway takes of the 2 cores the page shares with it, scrolling with updates;
        // the baseline is the idle page without updates
        tagGridGatewayCpuMsPerS: {
          value: round(scrolling.cpu.gatewayMain + scrolling.cpu.gatewayOther, 0),
          unit: 'ms/s',
          target: '<=1000',
          baseline: round(idle.cpu.gatewayMain + idle.cpu.gatewayOther, 0),
        },
      };
      if (process.env.BENCH_UI_ONLY === 'grid') {
        printBenchResult('ui', { ...startMetrics, ...gridMetrics });
        return;
      }

      // 3. The trend of 8 pens × 24 h: the open trend is kept for the tab, so a reload opens it.
      const trend = {
        state: {
          pens: trendTags.map((tag, i) => ({ tagId: tag.id, color: PEN_COLORS[i] })),
          range: { mode: 'preset', preset: '24h' },
          openSet: null,
        },
        version: 0,
      };
      await page.evaluate(`sessionStorage.setItem('gateway.trend', ${JSON.stringify(JSON.stringify(trend))})`);
      await page.reload();
      await page.getByTestId('current-user').waitFor();
      const timings: TrendTiming[] = [];
      for (let i = 0; i < TREND_RENDERS; i++) {
        const timing = await profiled(page, `trend-${i + 1}`, () => measureTrend(page));
        timings.push(timing);
        console.log(
          `trend ${i + 1}: data arrived after ${round(timing.dataMs, 0)} ms, drawn ${round(timing.renderMs, 0)} ms later (${timing.buckets} buckets per pen)`,
        );
      }

      printBenchResult('ui', {
        ...startMetrics,
        tagGridFrameP95Ms: gridMetrics.tagGridFrameP95Ms,
        // 8 pens × 24 h at 1 Hz (691,200 samples, downsampled by the gateway to the chart's width)
        trend8x24hRenderMs: {
          value: round(median(timings.map((timing) => timing.renderMs)), 0),
          unit: 'ms',
          target: '<=300',
          baseline: round(median(timings.map((timing) => timing.dataMs)), 0),
        },
        tagGridLateFramesPct: gridMetrics.tagGridLateFramesPct,
        tagGridUpdatesPerS: gridMetrics.tagGridUpdatesPerS,
        tagGridLongTasks: gridMetrics.tagGridLongTasks,
        tagGridGatewayCpuMsPerS: gridMetrics.tagGridGatewayCpuMsPerS,
      });
    } finally {
      await stopServer(server);
    }
  } finally {
    await browser.close();
    await simulator.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
