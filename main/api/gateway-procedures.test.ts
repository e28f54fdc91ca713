// The procedures of a running gateway end to end, on both database backends: a real gateway
// (frame bus, RocksDB WAL, Modbus drivers) polling the Modbus simulator on loopback, and real
// WebSocket clients of the headless server. Live streams open with a snapshot, coalesce, and end
// with the session; writes are checked before they leave, reach the device and leave an audit
// row; polling is stopped and started per device; commissioning talks to the simulator.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, type ApiHarness } from '../../test/api-harness.ts';
import { databaseBackends } from '../../test/database-backends.ts';
import { until } from '../../test/wait.ts';
import { wsApiClient } from '../../test/ws-api-client.ts';
import type { Device } from '../db/repositories/devices-repository.ts';
import type { Tag } from '../db/repositories/tags-repository.ts';
import { GatewayStartup } from '../gateway/gateway-startup.ts';
import { startHttpServer, type RunningHttpServer } from '../headless/http-server.ts';
import { startModbusSimulator, type ModbusSimulator } from '../simulator/modbus-simulator.ts';
import type { LiveValuesMessage } from '../../common/live-values-message.ts';
import type { AppRouter } from './app-router.ts';
import type { DeviceStatusMessage } from './devices-router.ts';
import type { EventView } from '../live/frame-views.ts';

type Client = ReturnType<typeof wsApiClient>;

interface Received<T> {
  messages: Array<{ at: number; data: T }>;
  error: TRPCClientError<AppRouter> | undefined;
  stop(): void;
}

function receive<T>(
  subscribe: (handlers: { onData(data: T): void; onError(error: unknown): void }) => { unsubscribe(): void },
): Received<T> {
  const received: Received<T> = { messages: [], error: undefined, stop: () => undefined };
  const subscription = subscribe({
    onData: (data) => received.messages.push({ at: performance.now(), data }),
    onError: (error) => (received.error = error as TRPCClientError<AppRouter>),
  });
  received.stop = () => subscription.unsubscribe();
  return received;
}

for (const backend of databaseBackends()) {
  describe.skipIf(!backend.available)(`a running gateway's procedures (${backend.name})`, () => {
    let h: ApiHarness;
    let server: RunningHttpServer;
    let rendererDir: string;
    let simulator: ModbusSimulator;
    let boiler: Device;
    const tags: Record<string, Tag> = {};
    const clients: Client[] = [];

    /** a WebSocket client signed in as a new user of `role` */
    async function clientAs(role: Parameters<ApiHarness['signedInAs']>[0]) {
      const { connection, userId } = await h.signedInAs(role);
      const client = wsApiClient({ baseUrl: server.url, token: connection.sessionToken as string });
      clients.push(client);
      return { api: client.api, userId };
    }

    beforeAll(async () => {
      h = await apiHarness(await backend.open(), { sessionRecheckMs: 50 });
      rendererDir = await mkdtemp(path.join(os.tmpdir(), 'gw-renderer-'));
      server = await startHttpServer(GatewayStartup.running(h.services), { host: '127.0.0.1', port: 0, rendererDir });
      simulator = await startModbusSimulator({
        tcp: { port: 0 },
        tickMs: 20,
        slaves: [
          {
            unitId: 1,
            points: [
              { address: '40001', dataType: 'UInt16', waveform: { kind: 'ramp', min: 0, max: 60_000, periodMs: 3000 } },
              { address: '40002', dataType: 'Int16', waveform: { kind: 'fixed', value: 20 } },
              { address: '00001', dataType: 'Boolean', waveform: { kind: 'fixed', value: false } },
            ],
          },
        ],
      });
      const { repos } = h.services;
      await repos.driverConfigs.create({
        name: 'Test TCP',
        protocol: 'ModbusTcp',
        connectionType: 'tcp',
        scanInterval: 20,
        timeout: 300,
        maxRetries: 1,
        retryInterval: 100,
        maxRetryInterval: 200,
      });
      boiler = await repos.devices.create({
        name: 'Boiler',
        protocol: 'ModbusTcp',
        endpoint: `127.0.0.1:${simulator.tcpPort}`,
        config: { modbus: { unitId: 1 } },
      });
      const rows = await repos.tags.createMany([
        { deviceId: boiler.id, name: 'counter', address: '40001', dataType: 'UInt16' },
        {
          deviceId: boiler.id,
          name: 'setpoint',
          address: '40002',
          dataType: 'Int16',
          accessType: 'ReadWrite',
          minValue: 0,
          maxValue: 90,
        },
        { deviceId: boiler.id, name: 'burner', address: '00001', dataType: 'Boolean', accessType: 'ReadWrite' },
        {
          deviceId: boiler.id,
          name: 'disabled',
          address: '40002',
          dataType: 'Int16',
          accessType: 'ReadWrite',
          enabled: false,
        },
      ]);
      for (const row of rows) tags[row.name] = row;
      await h.services.drivers.reload();
      await until(() => h.services.lastValues.get(tags.setpoint!.id)?.value === 20);
    });

    afterAll(async () => {
      for (const client of clients) client.close();
      await server?.close();
      await h?.close();
      await simulator?.stop();
      await rm(rendererDir, { recursive: true, force: true });
    });

    it('opens with a snapshot of the current values, then streams coalesced changes', async () => {
      const { api } = await clientAs('VIEWER');
      const live = receive<LiveValuesMessage>((handlers) =>
        api.tags.live.subscribe({ deviceIds: [boiler.id], intervalMs: 200 }, handlers),
      );
      try {
        await until(() => live.messages.length >= 4);
        const [snapshot, ...updates] = live.messages.map((m) => m.data);
        expect(snapshot?.kind).toBe('snapshot');
        const byName = new Map(snapshot?.values.map((v) => [v.tagId, v]));
        expect(byName.get(tags.setpoint!.id)).toMatchObject({
          value: 20,
          quality: 'Good',
          reason: null,
          deviceId: boiler.id,
        });
        expect(byName.get(tags.burner!.id)?.value).toBe(false);
        expect(byName.has(tags.disabled!.id)).toBe(false); // not polled
        for (const update of updates) {
          expect(update.kind).toBe('update');
          // coalesced: one value per tag per message, the counter changes every scan
          const ids = update.values.map((v) => v.tagId);
          expect(new Set(ids).size).toBe(ids.length);
          expect(ids).toContain(tags.counter!.id);
        }
        // at most one message per interval (a little slack for timers)
        const gaps = live.messages.slice(2).map((m, i) => m.at - live.messages[i + 1]!.at);
        for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(180);
        // a later update of a tag carries a greater sequence number
        const counters = live.messages.flatMap((m) => m.data.values.filter((v) => v.tagId === tags.counter!.id));
        const sequence = counters.map((v) => v.sequenceId);
        expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
      } finally {
        live.stop();
      }
    });

    it('streams only the tags asked for, and refuses a stream that names nothing', async () => {
      const { api } = await clientAs('VIEWER');
      const live = receive<LiveValuesMessage>((handlers) =>
        api.tags.live.subscribe({ tagIds: [tags.counter!.id] }, handlers),
      );
      try {
        await until(() => live.messages.length >= 3);
        for (const { data } of live.messages) expect(data.values.map((v) => v.tagId)).toEqual([tags.counter!.id]);
      } finally {
        live.stop();
      }
      const refused = receive<LiveValuesMessage>((handlers) => api.tags.live.subscribe({}, handlers));
      await until(() => refused.error !== undefined);
      expect(refused.error?.data).toMatchObject({ code: 'BAD_REQUEST', field: 'tagIds' });
      expect(refused.error?.message).toContain('name at least one tag (tagIds) or device (deviceIds)');
    });

    it('ends a stream when its session is revoked or signed out', async () => {
      const viewer = await clientAs('VIEWER');
      const revoked = receive<LiveValuesMessage>((handlers) =>
        viewer.api.tags.live.subscribe({ tagIds: [tags.counter!.id] }, handlers),
      );
      await until(() => revoked.messages.length >= 2);
      const admin = await clientAs('ADMIN');
      await admin.api.users.revokeSessions.mutate({ id: viewer.userId });
      await until(() => revoked.error !== undefined, 5_000);
      expect(revoked.error?.data).toMatchObject({ code: 'UNAUTHORIZED', reason: 'SESSION_REVOKED' });

      const other = await clientAs('OPERATOR');
      const signedOut = receive<LiveValuesMessage>((handlers) =>
        other.api.tags.live.subscribe({ tagIds: [tags.counter!.id] }, handlers),
      );
      await until(() => signedOut.messages.length >= 1);
      await other.api.auth.logout.mutate();
      await until(() => signedOut.error !== undefined, 5_000);
      expect(signedOut.error?.data).toMatchObject({ code: 'UNAUTHORIZED' });
    });

    it('writes a tag through the device and records the old and new value', async () => {
      const { api, userId } = await clientAs('OPERATOR');
      const result = await api.tags.write.mutate({ id: tags.setpoint!.id, value: 42 });
      expect(result).toMatchObject({ success: true, error: null, actualValue: 42, timedOut: false });
      expect(simulator.slave(1).bank.registers['holding-register'][1]).toBe(42);
      const [row] = await h.services.audit.query({ actionPrefix: 'tags.write' });
      expect(row).toMatchObject({
        userId,
        resourceId: tags.setpoint!.id,
        success: true,
        details: expect.objectContaining({ tag: 'setpoint', oldValue: 20, newValue: 42, actualValue: 42 }),
      });
      await until(() => h.services.lastValues.get(tags.setpoint!.id)?.value === 42);
      expect(await api.tags.write.mutate({ id: tags.burner!.id, value: true })).toMatchObject({ success: true });
      expect(simulator.slave(1).bank.bits.coil[0]).toBe(1);
    });

    it('refuses writes that do not fit, naming the field, and changes nothing', async () => {
      const { api } = await clientAs('MAINTENANCE');
      const before = simulator.slave(1).bank.registers['holding-register'][1];
      const attempts = [
        { input: { id: tags.setpoint!.id, value: 95 }, code: 'BAD_REQUEST', field: 'value', text: 'above the maximum' },
        { input: { id: tags.setpoint!.id, value: 4.5 }, code: 'BAD_REQUEST', field: 'value', text: 'whole number' },
        { input: { id: tags.setpoint!.id, value: 'hot' }, code: 'BAD_REQUEST', field: 'value', text: 'whole number' },
        { input: { id: tags.burner!.id, value: 'yes' }, code: 'BAD_REQUEST', field: 'value', text: 'true or false' },
        { input: { id: tags.counter!.id, value: 1 }, code: 'FORBIDDEN', field: 'id', text: 'read-only' },
        { input: { id: tags.disabled!.id, value: 1 }, code: 'CONFLICT', field: 'id', text: 'disabled' },
        { input: { id: tags.setpoint!.id }, code: 'BAD_REQUEST', field: 'value', text: 'value: is required' },
      ];
      for (const attempt of attempts) {
        const error = await api.tags.write.mutate(attempt.input as never).catch((e: unknown) => e);
        expect(error, JSON.stringify(attempt.input)).toBeInstanceOf(TRPCClientError);
        const { data, message } = error as TRPCClientError<AppRouter>;
        expect(data, message).toMatchObject({ code: attempt.code, field: attempt.field });
        expect(message).toContain(attempt.text);
      }
      expect(simulator.slave(1).bank.registers['holding-register'][1]).toBe(before);
      const refusedRows = await h.services.audit.query({ actionPrefix: 'tags.write', success: false });
      expect(refusedRows.length).toBeGreaterThanOrEqual(attempts.length);
    });

    it('lets only roles that write tags write, and reports a device that cannot take the write', async () => {
      const viewer = await clientAs('VIEWER');
      const refused = await viewer.api.tags.write.mutate({ id: tags.setpoint!.id, value: 1 }).catch((e: unknown) => e);
      expect((refused as TRPCClientError<AppRouter>).data).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE' });

      const operator = await clientAs('OPERATOR');
      await h.services.drivers.stop();
      try {
        const result = await operator.api.tags.write.mutate({ id: tags.setpoint!.id, value: 30 });
        expect(result).toMatchObject({ success: false, timedOut: false, actualValue: null });
        expect(result.error).toContain('is not polled by this gateway');
        const [row] = await h.services.audit.query({ actionPrefix: 'tags.write' });
        expect(row).toMatchObject({ success: false, errorMessage: result.error });
      } finally {
        await h.services.drivers.start();
      }
    });

    it("stops and starts one device's polling, streaming the status change, with audit rows", async () => {
      const { api } = await clientAs('MAINTENANCE');
      const status = await api.drivers.status.query();
      expect(status.started).toBe(true);
      expect(status.devices.find((d) => d.deviceId === boiler.id)).toMatchObject({
        status: 'Online',
        polling: 'polling',
        reason: '',
      });
      const devices = receive<DeviceStatusMessage>((handlers) =>
        api.devices.live.subscribe({ deviceIds: [boiler.id] }, handlers),
      );
      const events = receive<{ events: EventView[] }>((handlers) =>
        api.system.events.subscribe({ kinds: ['deviceStatus'] }, handlers),
      );
      try {
        await until(() => devices.messages.length >= 1);
        const [snapshot] = devices.messages;
        expect(snapshot?.data).toMatchObject({
          kind: 'snapshot',
          devices: [{ deviceId: boiler.id, status: 'Online' }],
        });

        const stopped = await api.drivers.stopDevice.mutate({ id: boiler.id });
        expect(stopped).toMatchObject({ status: 'Unknown', polling: 'stopped by user' });
        await until(() => devices.messages.length >= 2 && events.messages.length >= 1);
        expect(devices.messages[1]?.data).toMatchObject({
          kind: 'changes',
          changes: [{ deviceId: boiler.id, status: 'Unknown', previousStatus: 'Online' }],
        });
        expect(events.messages[0]?.data.events[0]).toMatchObject({
          kind: 'deviceStatus',
          deviceStatus: { deviceId: boiler.id, status: 'Unknown' },
        });
        const refused = await api.tags.write.mutate({ id: tags.setpoint!.id, value: 5 });
        expect(refused).toMatchObject({ success: false });

        await api.drivers.startDevice.mutate({ id: boiler.id });
        await until(() => h.services.drivers.devices().some((d) => d.deviceId === boiler.id && d.status === 'Online'));
        const detail = await api.drivers.deviceStatus.query({ id: boiler.id });
        expect(detail).toMatchObject({ status: 'Online', polling: 'polling', tagProblems: [] });
        const audit = await h.services.audit.query({ actionPrefix: 'drivers.' });
        expect(audit.map((row) => [row.action, row.resourceId, row.success])).toEqual(
          expect.arrayContaining([
            ['drivers.stopDevice', boiler.id, true],
            ['drivers.startDevice', boiler.id, true],
          ]),
        );
      } finally {
        devices.stop();
        events.stop();
      }
    });

    it('sends one-off Modbus requests with their traffic, and decodes registers', async () => {
      const { api } = await clientAs('MAINTENANCE');
      const endpoint = `127.0.0.1:${simulator.tcpPort}`;
      await api.tags.write.mutate({ id: tags.setpoint!.id, value: 20 });
      const read = await api.commissioning.modbus.mutate({
        protocol: 'ModbusTcp',
        endpoint,
        modbus: { unitId: 1 },
        functionCode: 3,
        address: 1,
        count: 1,
      });
      expect(read).toMatchObject({ ok: true, registers: [20] });
      expect(read.traffic.map((t) => t.direction)).toEqual(['tx', 'rx']);
      const absent = await api.commissioning.modbus.mutate({
        protocol: 'ModbusTcp',
        endpoint,
        modbus: { unitId: 9 },
        functionCode: 3,
        address: 0,
        count: 1,
        timeoutMs: 200,
      });
      expect(absent.ok).toBe(false);
      const bad = await api.commissioning.modbus
        .mutate({ protocol: 'ModbusTcp', endpoint, functionCode: 3, address: 65535, count: 2 })
        .catch((e: unknown) => e as TRPCClientError<AppRouter>);
      expect((bad as TRPCClientError<AppRouter>).data).toMatchObject({ code: 'BAD_REQUEST', field: 'count' });
      const audit = await h.services.audit.query({ actionPrefix: 'commissioning.modbus' });
      expect(audit.length).toBeGreaterThanOrEqual(3);

      // 21.5 as a Float in CDAB order: 0x41AC0000 → registers [0x0000, 0x41AC]
      const candidates = await api.commissioning.decode.query({ registers: [0x0000, 0x41ac], displayed: '21.5' });
      expect(candidates[0]).toMatchObject({ dataType: 'Float', wordOrder: 'CDAB', scaling: 1, value: 21.5 });
      const notANumber = await api.commissioning.decode
        .query({ registers: [1], displayed: 'warm' })
        .catch((e: unknown) => e as TRPCClientError<AppRouter>);
      expect((notANumber as TRPCClientError<AppRouter>).data).toMatchObject({
        code: 'BAD_REQUEST',
        field: 'displayed',
      });
      expect(Array.isArray(await api.commissioning.serialPorts.query().catch(() => []))).toBe(true);
    });

    it('reports metrics: frames through the bus, the WAL and its backlog, the event loop, memory', async () => {
      const { api } = await clientAs('VIEWER');
      const metrics = await api.system.metrics.query();
      expect(metrics.bus.published).toBeGreaterThan(0);
      expect(metrics.bus.subscriptions.map((s) => s.name)).toEqual(
        expect.arrayContaining(['last-value-cache', 'tag-writer', 'command-router']),
      );
      expect(metrics.wal.lastSequenceId).toBeGreaterThan(0);
      expect(Array.isArray(metrics.walBacklog)).toBe(true);
      expect(metrics.eventLoop.lagP99Ms).toBeGreaterThanOrEqual(0);
      expect(metrics.memory.rssBytes).toBeGreaterThan(0);
      expect(metrics.tagsWithValues).toBeGreaterThanOrEqual(3);
    });
  });
}
