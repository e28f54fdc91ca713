// The classic certificate failures of commissioning, each against a node-opcua server in its own
// process whose certificate the test issued: one for another host, one for another
// applicationUri, one whose validity has ended. Each is first rejected as untrusted; once the
// engineer trusts it, the driver names what is still wrong (and the host check can be waived).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollectingFrameSink } from '../../../test/collecting-frame-sink.ts';
import { databaseBackends } from '../../../test/database-backends.ts';
import { startTestDrivers, type TestDrivers } from '../../../test/driver-manager-harness.ts';
import { startOpcUaServer, type OpcUaTestServer } from '../../../test/services/opcua-server.ts';
import { Quality } from '../../../proto/generated/frame.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import type { Device } from '../../db/repositories/devices-repository.ts';
import { repositories, type Repositories } from '../../db/repositories/repositories.ts';
import type { Tag } from '../../db/repositories/tags-repository.ts';
import { opcUaDriverFactory } from './opcua-driver-factory.ts';
import { OpcUaPki } from './opcua-pki.ts';

const SECURE = { securityMode: 'SignAndEncrypt', securityPolicy: 'Basic256Sha256' };

describe('OPC UA certificate failures', () => {
  const backend = databaseBackends()[0]!;
  let handle: DatabaseHandle;
  let repos: Repositories;
  const servers: Record<string, OpcUaTestServer> = {};
  let pkiDir: string;
  let pki: OpcUaPki;
  let drivers: TestDrivers;
  const sink = new CollectingFrameSink();
  const devices: Record<string, Device> = {};
  const tags: Record<string, Tag> = {};

  const reasonOf = (name: string) => drivers.manager.devices().find((d) => d.deviceId === devices[name]!.id)?.reason;

  beforeAll(async () => {
    const small = { plantVariables: 5, bigFolderChildren: 0, startTimeoutMs: 150_000 };
    [handle, servers.otherHost, servers.otherUri, servers.expired, pkiDir] = await Promise.all([
      backend.open(),
      startOpcUaServer({ ...small, certificate: { dns: ['plc-7.plant.example'], ip: [] } }),
      startOpcUaServer({ ...small, certificate: { applicationUri: 'urn:another-machine:OtherServer' } }),
      startOpcUaServer({ ...small, certificate: { expired: true } }),
      mkdtemp(path.join(os.tmpdir(), 'gw-opcua-pki-')),
    ]);
    repos = repositories(handle.db);
    pki = new OpcUaPki(pkiDir);
    await repos.driverConfigs.create({
      name: 'OPC UA certificates',
      protocol: 'OpcUa',
      connectionType: 'tcp',
      timeout: 5000,
      retryInterval: 200,
      maxRetryInterval: 500,
    });
    const make = async (name: string, server: OpcUaTestServer, extra: Record<string, unknown> = {}) => {
      devices[name] = await repos.devices.create({
        name,
        protocol: 'OpcUa',
        endpoint: server.endpoint,
        config: { opcua: { ...SECURE, ...extra } },
      });
      const [tag] = await repos.tags.createMany([
        {
          deviceId: devices[name].id,
          name: `${name}Counter`,
          address: server.node('Plant.Counter'),
          dataType: 'UInt32',
        },
      ]);
      tags[name] = tag!;
    };
    await make('otherHost', servers.otherHost);
    await make('otherHostWaived', servers.otherHost, { acceptHostNameMismatch: true });
    await make('otherUri', servers.otherUri);
    await make('expired', servers.expired);
    drivers = await startTestDrivers(repos, sink, [opcUaDriverFactory(pki)]);
  }, 180_000);

  afterAll(async () => {
    await drivers?.stop();
    await pki?.dispose();
    await Promise.all(Object.values(servers).map((server) => server.stop()));
    await handle?.close();
    if (pkiDir) await rm(pkiDir, { recursive: true, force: true });
  });

  it('lists each unknown certificate as rejected, with its names and validity', async () => {
    for (const name of ['otherHost', 'otherUri', 'expired']) {
      await expect.poll(() => reasonOf(name), { timeout: 30_000 }).toMatch(/not trusted yet|expired/);
    }
    const rejected = (await pki.list()).filter((cert) => cert.store === 'rejected');
    expect(rejected.map((cert) => cert.hosts.join(',')).sort()).toContain('plc-7.plant.example');
    expect(rejected.map((cert) => cert.applicationUri)).toContain('urn:another-machine:OtherServer');
    for (const cert of rejected) await pki.trust(cert.thumbprint);
  }, 60_000);

  it('names a certificate issued for another host, and connects when the mismatch is waived', async () => {
    await expect
      .poll(() => reasonOf('otherHost'), { timeout: 30_000 })
      .toMatch(/issued for plc-7\.plant\.example, not for 127\.0\.0\.1 \(BadCertificateHostNameInvalid\)/);
    expect(reasonOf('otherHost')).toMatch(/acceptHostNameMismatch/);
    expect(sink.latest(tags.otherHost!.id)?.quality).toBe(Quality.QUALITY_BAD);
    await sink.until(
      () => sink.latest(tags.otherHostWaived!.id)?.quality === Quality.QUALITY_GOOD,
      'values with the host mismatch waived',
      30_000,
    );
  }, 60_000);

  it('names a certificate issued for another applicationUri', async () => {
    await expect
      .poll(() => reasonOf('otherUri'), { timeout: 30_000 })
      .toMatch(
        /names the application urn:another-machine:OtherServer, but the server calls itself urn:gateway-test:opcua-server \(BadCertificateUriInvalid\)/,
      );
    expect(sink.latest(tags.otherUri!.id)?.quality).toBe(Quality.QUALITY_BAD);
  }, 60_000);

  it('names an expired certificate', async () => {
    await expect.poll(() => reasonOf('expired'), { timeout: 30_000 }).toMatch(/has expired or is not valid yet/);
    expect(sink.latest(tags.expired!.id)?.quality).toBe(Quality.QUALITY_BAD);
  }, 60_000);
});
