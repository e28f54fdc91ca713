// The MQTT driver over TLS against Mosquitto with a TLS listener, a certificate signed by a
// private CA made in the test, and a username/password: MQTT 5 with a CA file and the user's
// credentials delivers values (user properties and content type of MQTT 5 messages do not get in
// the way); without the CA file the broker's certificate is named untrusted; a wrong password is
// named as such.
import mqtt, { type MqttClient } from 'mqtt';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollectingFrameSink } from '../../../test/collecting-frame-sink.ts';
import { startMqttTestGateway, type MqttTestGateway } from '../../../test/driver-manager-harness.ts';
import { startMosquitto, type MosquittoServer } from '../../../test/services/mosquitto-server.ts';
import {
  testCertificateAuthority,
  type TestCertificateAuthority,
} from '../../../test/services/test-certificate-authority.ts';
import { Quality } from '../../../proto/generated/frame.ts';
import type { Tag } from '../../db/repositories/tags-repository.ts';

const USER = { userName: 'gateway', password: 'br0ker-secret' };
const authority = await testCertificateAuthority();
const broker = authority ? await startMosquitto({ user: USER, tls: authority }) : undefined;

describe.skipIf(!broker)('the MQTT driver over TLS with a username', () => {
  const server = broker as MosquittoServer;
  const ca = authority as TestCertificateAuthority;
  let gateway: MqttTestGateway;
  let publisher: MqttClient;
  const sink = new CollectingFrameSink();
  let tags: Record<string, Tag>;

  const reasonOf = (name: string) => gateway.reasonOf(gateway.devices[name]!.id);

  beforeAll(async () => {
    const credentials = { username: USER.userName, password: USER.password };
    const level = { address: 'tank/1|level', dataType: 'Double' } as const;
    gateway = await startMqttTestGateway(
      sink,
      server.url,
      [
        {
          name: 'secure',
          config: { ...credentials, caFile: ca.caFile, protocolVersion: 5 },
          tags: [{ name: 'level', ...level }],
        },
        { name: 'noCa', config: credentials, tags: [{ name: 'levelNoCa', ...level }], awaitPolling: false },
        {
          name: 'wrongPassword',
          config: { ...credentials, password: 'guess', caFile: ca.caFile },
          tags: [{ name: 'levelGuess', ...level }],
          awaitPolling: false,
        },
      ],
      { retryIntervalMs: 200 },
    );
    ({ tags } = gateway);
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
    await gateway?.stop();
    await server?.stop();
    await ca?.remove();
  });

  it('delivers MQTT 5 messages with user properties and a content type over TLS with a CA file', async () => {
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
    expect(gateway.stateOf(gateway.devices.wrongPassword!.id)).toBe('failed');
    expect(sink.latest(tags.levelGuess!.id)?.quality).toBe(Quality.QUALITY_BAD);
  });
});
