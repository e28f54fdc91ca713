// The built-in MQTT southbound driver as the driver manager and driver_registry see it.
import type { DriverFactory } from '../driver-contract.ts';
import { mqttCapabilities, MqttDriver } from './mqtt-driver.ts';

export const MQTT_DRIVER_VERSION = '1.0.0';

export function mqttDriverFactory(): DriverFactory {
  return {
    protocol: 'Mqtt',
    name: 'MQTT',
    version: MQTT_DRIVER_VERSION,
    description: 'MQTT 3.1.1 / 5 subscriber (mqtt.js): wildcard topics, JSON paths, payload timestamps, TLS',
    capabilities: mqttCapabilities(),
    unavailableReason: () => Promise.resolve(undefined),
    create: () => new MqttDriver(),
  };
}
