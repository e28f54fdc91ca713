// Plugin drivers through the driver manager: the example plugin registered with its sha256 and
// run in a worker; a wrong hash, a wrong api_version, a file changed after registration; and
// plugins that throw, hang or loop forever — each marks the driver ERROR and the gateway goes on.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollectingFrameSink } from '../../../test/collecting-frame-sink.ts';
import { databaseBackends } from '../../../test/database-backends.ts';
import { startTestDrivers, type TestDrivers } from '../../../test/driver-manager-harness.ts';
import { Quality } from '../../../proto/generated/frame.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import type { Device } from '../../db/repositories/devices-repository.ts';
import { repositories, type Repositories } from '../../db/repositories/repositories.ts';
import type { Tag } from '../../db/repositories/tags-repository.ts';
import { OperationRefusedError } from '../../gateway/operation-refused-error.ts';
import { pluginDriverFactory } from './plugin-driver-factory.ts';
import { sha256Of } from './plugin-file.ts';
import { PluginRegistration } from './plugin-registration.ts';

const EXAMPLE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'examples', 'counter-plugin.mjs');
const quiet = { info: () => undefined, warn: () => undefined };

describe('plugin drivers', () => {
  const backend = databaseBackends()[0]!;
  let handle: DatabaseHandle;
  let repos: Repositories;
  let dir: string;
  let registration: PluginRegistration;
  let drivers: TestDrivers;
  let device: Device;
  const tags: Record<string, Tag> = {};
  const sink = new CollectingFrameSink();

  async function plugin(name: string, scanBody: string): Promise<{ filePath: string; fileHash: string }> {
    const source = (await readFile(EXAMPLE, 'utf8')).replace(
      '    scan(groupId) {\n',
      `    scan(groupId) {\n${scanBody}\n`,
    );
    const filePath = path.join(dir, name);
    await writeFile(filePath, source);
    return { filePath, fileHash: await sha256Of(filePath) };
  }

  async function registryRow() {
    return repos.driverRegistry.get('Custom');
  }

  beforeAll(async () => {
    handle = await backend.open();
    repos = repositories(handle.db);
    dir = await mkdtemp(path.join(os.tmpdir(), 'gw-plugins-'));
    registration = new PluginRegistration(repos, path.join(dir, 'installed'));
    await repos.driverConfigs.create({
      name: 'Plugins',
      protocol: 'Custom',
      connectionType: 'plugin',
      scanInterval: 50,
      timeout: 300,
      retryInterval: 100,
      maxRetryInterval: 400,
    });
    device = await repos.devices.create({ name: 'Vendor box', protocol: 'Custom', endpoint: 'local' });
    for (const row of await repos.tags.createMany([
      { deviceId: device.id, name: 'counter', address: 'counter', dataType: 'UInt32' },
      { deviceId: device.id, name: 'five', address: 'constant:5', dataType: 'Double' },
      { deviceId: device.id, name: 'echo', address: 'echo', dataType: 'Double', accessType: 'ReadWrite' },
      { deviceId: device.id, name: 'unknown', address: 'nonsense', dataType: 'Double' },
    ])) {
      tags[row.name] = row;
    }
  });

  afterAll(async () => {
    await drivers?.stop();
    await handle?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses a registration whose hash or api version is wrong', async () => {
    const wrongHash = await registration.register({ filePath: EXAMPLE, fileHash: 'a'.repeat(64) }).catch((e) => e);
    expect(wrongHash).toBeInstanceOf(OperationRefusedError);
    expect(wrongHash).toMatchObject({ details: { field: 'fileHash' } });
    const v2 = path.join(dir, 'v2.mjs');
    await writeFile(
      v2,
      (await readFile(EXAMPLE, 'utf8')).replace('export const apiVersion = 1;', 'export const apiVersion = 2;'),
    );
    const wrongApi = await registration.register({ filePath: v2, fileHash: await sha256Of(v2) }).catch((e) => e);
    expect(wrongApi.message).toMatch(/declares apiVersion 2/);
    expect(await registryRow()).toBeUndefined();
  });

  it('runs the registered example plugin in a worker: values and writes', async () => {
    const row = await registration.register({ filePath: EXAMPLE, fileHash: await sha256Of(EXAMPLE) });
    expect(row).toMatchObject({ name: 'Counter example', version: '1.0.0', apiVersion: 1 });
    drivers = await startTestDrivers(repos, sink, [pluginDriverFactory(repos, quiet)]);
    await sink.until(() => Number(sink.latest(tags.counter!.id)?.value?.kind?.value) >= 3, 'counting', 10_000);
    expect(sink.latest(tags.five!.id)?.value?.kind?.value).toBe(5);
    expect(sink.latest(tags.unknown!.id)?.quality).toBe(Quality.QUALITY_BAD);
    expect((await registryRow())?.status).toBe('RUNNING');
    const ack = await drivers.manager.handleCommand({
      commandId: 'p1',
      tagId: tags.echo!.id,
      deviceId: device.id,
      value: { kind: { $case: 'doubleValue', value: 12.5 } },
      originUser: 'test',
      timeoutMs: 2000,
    });
    expect(ack).toMatchObject({ success: true });
    await sink.until(() => sink.latest(tags.echo!.id)?.value?.kind?.value === 12.5, 'the echo');
  }, 30_000);

  it('refuses to load a plugin file changed after registration', async () => {
    const row = (await registryRow())!;
    const original = await readFile(row.filePath!, 'utf8');
    await writeFile(row.filePath!, `${original}\n// tampered\n`);
    await drivers.manager.reload();
    expect(await registryRow()).toMatchObject({ status: 'ERROR' });
    expect((await registryRow())?.errorMessage).toMatch(/changed after registration/);
    await expect.poll(async () => (await repos.devices.get(device.id))?.status).toBe('Error');
    await writeFile(row.filePath!, original);
  }, 20_000);

  for (const [name, scanBody, expected] of [
    ['throws', "      if (counter > 2) throw new Error('vendor bug');", /vendor bug/],
    ['hangs', '      if (counter > 2) return new Promise(() => {});', /did not return from scan\(\)/],
    ['loops', '      if (counter > 2) for (;;) {}', /did not return from scan\(\)/],
  ] as const) {
    it(`marks the driver ERROR when the plugin ${name}, and the gateway goes on`, async () => {
      const file = await plugin(`${name}.mjs`, scanBody);
      await registration.register(file);
      await drivers.manager.reload();
      await expect.poll(async () => (await registryRow())?.errorMessage ?? '', { timeout: 10_000 }).toMatch(expected);
      expect((await registryRow())?.status).toBe('ERROR');
      await sink.until(() => sink.latest(tags.counter!.id)?.quality === Quality.QUALITY_BAD, 'bad values');
      // The event loop is free: timers still fire on time.
      const started = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(Date.now() - started).toBeLessThan(500);
    }, 30_000);
  }
});
