// The MQTT driver over TLS against Mosquitto with a TLS listener, a certificate signed by a
// private CA made in the test, and a username/password: MQTT 5 with a CA file and the user's
// credentials delivers values (user properties and content type of MQTT 5 messages do not get in
// the way); without the CA file the broker's certificate is named untrusted; a wrong password is
// named as such.
import mqtt, { type MqttClient } from 'mqtt';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollectingFrameSink } from '../../../test/collecting-frame-sink.ts';
import { databaseBackends } from '../../../test/database-backends.ts';
import { startTestDrivers, type TestDrivers } from '../../../test/driver-manager-harness.ts';
import { startMosquitto, type MosquittoServer } from '../../../test/services/mosquitto-server.ts';
import {
  testCertificateAuthority,
  type TestCertificateAuthority,
} from '../../../test/services/test-certificate-authority.ts';
import { Quality } from '../../../proto/generated/frame.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import type { Device } from '../../db/repositories/devices-repository.ts';
import { repositories, type Repositories } from '../../db/repositories/repositories.ts';
import type { Tag } from '../../db/repositories/tags-repository.ts';
import { mqttDriverFactory } from './mqtt-driver-factory.ts';

const USER = { userName: 'gateway', password: 'br0ker-secret' };
const authority = await testCertificateAuthority();
const broker = authority ? await startMosquitto({ user: USER, tls: authority }) : undefined;

describe.skipIf(!broker)('the MQTT driver over TLS with a username', () => {
  const server = broker as MosquittoServer;
  const ca = authority as TestCertificateAuthority;
  const backend = databaseBackends()[0]!;
  let handle: DatabaseHandle;
  let repos: Repositories;
  let drivers: TestDrivers;
  let publisher: MqttClient;
  const sink = new CollectingFrameSink();
  const devices: Record<string, Device> = {};
  const tags: Record<string, Tag> = {};

  const reasonOf = (name: string) => drivers.manager.devices().find((d) => d.deviceId === devices[name]!.id)?.reason;

  beforeAll(async () => {
    handle = await backend.open();
    repos = repositories(handle.db);
    await repos.driverConfigs.create({
      name: 'MQTT TLS test',
      protocol: 'Mqtt',
      connectionType: 'tcp',
      timeout: 2000,
      retryInterval: 200,
      maxRetryInterval: 500,
    });
    const credentials = { username: USER.userName, password: USER.password };
    devices.secure = await repos.devices.create({
      name: 'TLS broker',
      protocol: 'Mqtt',
      endpoint: server.url,
      config: { mqtt: { ...credentials, caFile: ca.caFile, protocolVersion: 5 } },
    });
    devices.noCa = await repos.devices.create({
      name: 'TLS broker without CA',
      protocol: 'Mqtt',
      endpoint: server.url,
      config: { mqtt: credentials },
    });
    devices.wrongPassword = await repos.devices.create({
      name: 'TLS broker, wrong password',
      protocol: 'Mqtt',
      endpoint: server.url,
      config: { mqtt: { ...credentials, password: 'guess', caFile: ca.caFile } },
    });
    const rows = await repos.tags.createMany([
      { deviceId: devices.secure.id, name: 'level', address: 'tank/1|level', dataType: 'Double' },
      { deviceId: devices.noCa.id, name: 'levelNoCa', address: 'tank/1|level', dataType: 'Double' },
      { deviceId: devices.wrongPassword.id, name: 'levelGuess', address: 'tank/1|level', dataType: 'Double' },
    ]);
    for (const row of rows) tags[row.name] = row;
    drivers = await startTestDrivers(repos, sink, [mqttDriverFactory()]);
    publisher = await mqtt.connectAsync(server.url, {
      ca: await readFile(ca.caFile),
      username: USER.userName,
      password: USER.password,
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
  }, 60_000);

  afterAll(async () => {
    await publisher?.endAsync(true);
    await drivers?.stop();
    await server?.stop();
    await ca?.remove();
    await handle?.close();
  });

  it('delivers MQTT 5 messages with user properties and a content type over TLS with a CA file', async () => {
    await expect
      .poll(() => drivers.manager.devices().find((d) => d.deviceId === devices.secure!.id)?.state, { timeout: 15_000 })
      .toBe('polling');
    await publisher.publishAsync('tank/1', JSON.stringify({ level: 3.25 }), {
      qos: 1,
      properties: {
        userProperties: { site: 'north', line: ['1', '2'] },
        contentType: 'application/json',
        payloadFormatIndicator: true,
        messageExpiryInterval: 60,
      },
    });
    await sink.until(() => sink.latest(tags.level!.id)?.quality === Quality.QUALITY_GOOD, 'the level over TLS');
    expect(sink.latest(tags.level!.id)?.value?.kind?.value).toBe(3.25);
  });

  it('names an untrusted broker certificate and the setting that fixes it', async () => {
    await expect
      .poll(() => reasonOf('noCa'), { timeout: 15_000 })
      .toMatch(/TLS certificate of mqtts:.* is not trusted/);
    expect(reasonOf('noCa')).toMatch(/config\.mqtt\.caFile/);
    expect(sink.latest(tags.levelNoCa!.id)?.quality).toBe(Quality.QUALITY_BAD);
  });

  it('names a refused password and stops retrying', async () => {
    await expect
      .poll(() => reasonOf('wrongPassword'), { timeout: 15_000 })
      .toMatch(/refused the username or password \(config\.mqtt\.username \/ password\)/);
    expect(drivers.manager.devices().find((d) => d.deviceId === devices.wrongPassword!.id)?.state).toBe('failed');
    expect(sink.latest(tags.levelGuess!.id)?.quality).toBe(Quality.QUALITY_BAD);
  });
});
