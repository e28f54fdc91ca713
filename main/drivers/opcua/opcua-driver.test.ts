// The OPC UA driver through the driver manager against node-opcua's server in a separate process:
// values by subscription (hundreds of items in a few subscriptions, created within the server's
// MaxMonitoredItemsPerCall), status codes as quality,
// bad addresses and unknown nodes, writes with read-back, a secured endpoint whose certificate is
// first rejected and then trusted through the PKI, a wrong password, a server restart and a
// frozen server (a pulled cable), after both of which the subscriptions come back.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollectingFrameSink } from '../../../test/collecting-frame-sink.ts';
import { databaseBackends } from '../../../test/database-backends.ts';
import { startTestDrivers, type TestDrivers } from '../../../test/driver-manager-harness.ts';
import { OPCUA_TEST_USER, startOpcUaServer, type OpcUaTestServer } from '../../../test/services/opcua-server.ts';
import { Quality, QualityReason, type DataFrame } from '../../../proto/generated/frame.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import type { Device } from '../../db/repositories/devices-repository.ts';
import { repositories, type Repositories } from '../../db/repositories/repositories.ts';
import type { Tag } from '../../db/repositories/tags-repository.ts';
import { opcUaDriverFactory } from './opcua-driver-factory.ts';
import { OpcUaPki } from './opcua-pki.ts';

function valueOf(frame: DataFrame | undefined): unknown {
  return frame?.value?.kind?.value;
}

describe('the OPC UA driver against a node-opcua server', () => {
  const backend = databaseBackends()[0]!;
  let handle: DatabaseHandle;
  let repos: Repositories;
  let server: OpcUaTestServer;
  let pkiDir: string;
  let pki: OpcUaPki;
  let drivers: TestDrivers;
  const sink = new CollectingFrameSink();
  const tags: Record<string, Tag> = {};
  const devices: Record<string, Device> = {};

  beforeAll(async () => {
    [handle, server, pkiDir] = await Promise.all([
      backend.open(),
      // 64 items per CreateMonitoredItems: the driver must split its 100-item subscriptions.
      startOpcUaServer({ maxMonitoredItemsPerCall: 64 }),
      mkdtemp(path.join(os.tmpdir(), 'gw-opcua-pki-')),
    ]);
    repos = repositories(handle.db);
    pki = new OpcUaPki(pkiDir);
    await repos.driverConfigs.create({
      name: 'OPC UA test',
      protocol: 'OpcUa',
      connectionType: 'tcp',
      scanInterval: 100,
      timeout: 3000,
      maxRetries: 2,
      retryInterval: 200,
      maxRetryInterval: 1000,
      batchSize: 500,
    });
    devices.line = await repos.devices.create({
      name: 'Line',
      protocol: 'OpcUa',
      endpoint: server.endpoint,
      config: { opcua: { maxItemsPerSubscription: 100, keepAliveCount: 5 } },
    });
    devices.secure = await repos.devices.create({
      name: 'Secure',
      protocol: 'OpcUa',
      endpoint: server.endpoint,
      config: {
        opcua: {
          securityMode: 'SignAndEncrypt',
          securityPolicy: 'Basic256Sha256',
          userName: OPCUA_TEST_USER.userName,
          password: OPCUA_TEST_USER.password,
        },
      },
    });
    devices.wrongPassword = await repos.devices.create({
      name: 'WrongPassword',
      protocol: 'OpcUa',
      endpoint: server.endpoint,
      config: { opcua: { userName: OPCUA_TEST_USER.userName, password: 'guess' } },
    });
    const line = devices.line.id;
    const plant = [
      { name: 'temperature', address: server.node('Plant.Temperature'), dataType: 'Double' as const },
      { name: 'counter', address: server.node('Plant.Counter'), dataType: 'UInt32' as const },
      {
        name: 'setpoint',
        address: server.node('Plant.Setpoint'),
        dataType: 'Double' as const,
        accessType: 'ReadWrite' as const,
      },
      { name: 'running', address: server.node('Plant.Running'), dataType: 'Boolean' as const },
      { name: 'recipe', address: server.node('Plant.Recipe'), dataType: 'String' as const },
      { name: 'flow', address: server.node('Plant.Flow'), dataType: 'Double' as const },
      { name: 'missing', address: server.node('Plant.DoesNotExist'), dataType: 'Double' as const },
      { name: 'notANode', address: 'Plant.Temperature', dataType: 'Double' as const },
    ];
    const many = Array.from({ length: 300 }, (_, i) => ({
      name: `var${i}`,
      address: server.node(`Plant.Var${String(i).padStart(3, '0')}`),
      dataType: 'Double' as const,
    }));
    for (const row of await repos.tags.createMany([...plant, ...many].map((tag) => ({ ...tag, deviceId: line })))) {
      tags[row.name] = row;
    }
    const [secureCounter] = await repos.tags.createMany([
      { deviceId: devices.secure.id, name: 'secureCounter', address: server.node('Plant.Counter'), dataType: 'UInt32' },
      {
        deviceId: devices.wrongPassword.id,
        name: 'guarded',
        address: server.node('Plant.Counter'),
        dataType: 'UInt32',
      },
    ]);
    tags.secureCounter = secureCounter!;
    drivers = await startTestDrivers(repos, sink, [opcUaDriverFactory(pki)]);
  }, 120_000);

  afterAll(async () => {
    await drivers?.stop();
    await pki?.dispose();
    await server?.stop();
    await handle?.close();
    if (pkiDir) await rm(pkiDir, { recursive: true, force: true });
  });

  it('registers the driver and delivers subscribed values with their quality', async () => {
    expect((await repos.driverRegistry.get('OpcUa'))?.capabilities).toContain('subscriptions');
    await expect
      .poll(() => drivers.manager.devices().find((device) => device.deviceId === devices.line!.id)?.state, {
        timeout: 30_000,
      })
      .toBe('polling');
    await sink.until(() => sink.latest(tags.var299!.id)?.quality === Quality.QUALITY_GOOD, 'the 300th item', 30_000);
    await sink.until(() => sink.framesOf(tags.counter!.id).length >= 3, 'counter updates', 10_000);
    expect(valueOf(sink.latest(tags.var10!.id))).toBe(15);
    expect(valueOf(sink.latest(tags.running!.id))).toBe(true);
    expect(valueOf(sink.latest(tags.recipe!.id))).toBe('Batch-7');
    const counter = sink.framesOf(tags.counter!.id).map((frame) => Number(valueOf(frame)));
    expect(counter.at(-1)).toBeGreaterThan(counter[0]!);
    // The server marks Flow uncertain: the value is kept, its status code travels along.
    const flow = sink.latest(tags.flow!.id)!;
    expect(flow).toMatchObject({ quality: Quality.QUALITY_UNCERTAIN, errorCode: 0x40900000 });
    expect(valueOf(flow)).toBe(3.5);
    // The server's own source timestamp is kept.
    expect(Number(flow.sourceTimestamp / 1_000_000n)).toBeLessThan(Date.now() - 1000);
    expect(sink.latest(tags.missing!.id)).toMatchObject({
      quality: Quality.QUALITY_BAD,
      qualityReason: QualityReason.QUALITY_REASON_CONFIG_ERROR,
      errorCode: 0x80340000,
    });
    expect(drivers.manager.tagProblem(devices.line!.id, tags.missing!.id)).toMatch(/has no node .*BadNodeIdUnknown/);
    expect(sink.latest(tags.notANode!.id)?.qualityReason).toBe(QualityReason.QUALITY_REASON_CONFIG_ERROR);
    expect(drivers.manager.tagProblem(devices.line!.id, tags.notANode!.id)).toMatch(/not an OPC UA NodeId/);
    await expect.poll(async () => (await repos.devices.get(devices.line!.id))?.status).toBe('Online');
  }, 60_000);

  it('writes a value and confirms it by reading it back', async () => {
    const ack = await drivers.manager.handleCommand({
      commandId: 'w1',
      tagId: tags.setpoint!.id,
      deviceId: devices.line!.id,
      value: { kind: { $case: 'doubleValue', value: 42.25 } },
      originUser: 'test',
      timeoutMs: 5000,
    });
    expect(ack).toMatchObject({ success: true, error: '' });
    expect(valueOf({ value: ack.actualValue } as DataFrame)).toBe(42.25);
    await sink.until(() => valueOf(sink.latest(tags.setpoint!.id)) === 42.25, 'the new setpoint by subscription');
  });

  it('names a refused password and leaves the device in Error without retrying', async () => {
    await expect
      .poll(async () => await repos.devices.get(devices.wrongPassword!.id), { timeout: 20_000 })
      .toMatchObject({ status: 'Error' });
    const status = drivers.manager.devices().find((device) => device.deviceId === devices.wrongPassword!.id);
    expect(status?.reason).toMatch(/refused the user name or password/);
    expect(status?.state).toBe('failed');
  }, 30_000);

  it('rejects an unknown server certificate until it is trusted, then connects securely', async () => {
    await expect
      .poll(() => drivers.manager.devices().find((device) => device.deviceId === devices.secure!.id)?.reason, {
        timeout: 30_000,
      })
      .toMatch(/not trusted yet/);
    const rejected = (await pki.list()).filter((cert) => cert.store === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ expired: false });
    expect(rejected[0]!.applicationUri).toMatch(/^urn:/);
    expect(rejected[0]!.hosts.length).toBeGreaterThan(0);
    expect(sink.latest(tags.secureCounter!.id)?.quality).toBe(Quality.QUALITY_BAD);
    await pki.trust(rejected[0]!.thumbprint);
    expect((await pki.list()).filter((cert) => cert.store === 'trusted').map((c) => c.thumbprint)).toEqual([
      rejected[0]!.thumbprint,
    ]);
    await sink.until(
      () => sink.latest(tags.secureCounter!.id)?.quality === Quality.QUALITY_GOOD,
      'values over SignAndEncrypt',
      30_000,
    );
  }, 60_000);

  it('restores the subscriptions after the server restarts', async () => {
    const before = sink.data.length;
    await server.restart({ downMs: 500 });
    await sink.until(
      () =>
        sink.data
          .slice(before)
          .some((f) => f.tagId === tags.counter!.id && f.qualityReason === QualityReason.QUALITY_REASON_PORT_CLOSED),
      'the loss to be reported',
      15_000,
    );
    const lostAt = sink.data.length;
    await sink.until(
      () =>
        sink.data.slice(lostAt).some((f) => f.tagId === tags.var299!.id && f.quality === Quality.QUALITY_GOOD) &&
        sink.data.slice(lostAt).some((f) => f.tagId === tags.counter!.id && f.quality === Quality.QUALITY_GOOD),
      'values after the restart',
      30_000,
    );
    await sink.until(
      () =>
        sink.data.slice(lostAt).some((f) => f.tagId === tags.secureCounter!.id && f.quality === Quality.QUALITY_GOOD),
      'the secured device after the restart',
      30_000,
    );
  }, 60_000);

  it('notices a server that stops answering (a pulled cable) and recovers when it answers again', async () => {
    server.freeze();
    try {
      await sink.until(
        () => sink.latest(tags.counter!.id)?.quality === Quality.QUALITY_BAD,
        'the silence to be noticed',
        20_000,
      );
      const reason = drivers.manager.devices().find((device) => device.deviceId === devices.line!.id)?.reason;
      expect(reason).toMatch(/neither data nor keep-alives|does not answer|lost|closed/);
    } finally {
      server.thaw();
    }
    const resumedAt = sink.data.length;
    await sink.until(
      () => sink.data.slice(resumedAt).some((f) => f.tagId === tags.counter!.id && f.quality === Quality.QUALITY_GOOD),
      'values after the server answers again',
      30_000,
    );
  }, 60_000);
});
