// The device form turns each protocol's fields into the endpoint and config the drivers read,
// and keeps the config keys it does not show; the gateway accepts what it makes.
import { describe, expect, it } from 'vitest';
import { deviceFields } from '../../../main/records/device-record.ts';
import { initialValues, toDevice, type Device } from './device-form-values.ts';

const stored = {
  id: '7b0c6b36-8f1f-4f7e-9a43-0f6c8e0d2a11',
  name: 'Boiler',
  description: null,
  protocol: 'ModbusTcp',
  location: 'Hall',
  endpoint: '10.0.0.5:1502',
  config: { driverConfig: 'Fast TCP', modbus: { unitId: 4, maxGapRegisters: 8 }, site: { line: 3 } },
  enabled: true,
} as unknown as Device;

describe('device form values', () => {
  it('reads a Modbus TCP device into fields, with the unknown config as JSON', () => {
    const values = initialValues(stored);
    expect(values).toMatchObject({ host: '10.0.0.5', port: 1502, unitId: 4, driverConfig: 'Fast TCP' });
    expect(JSON.parse(values.extraConfig)).toEqual({ site: { line: 3 } });
  });

  it('writes the fields back, keeping what the form does not show', () => {
    const values = { ...initialValues(stored), port: 502, unitId: 9, wordOrder: 'CDAB' };
    const device = toDevice(values, stored);
    expect(device.endpoint).toBe('10.0.0.5:502');
    expect(device.config).toEqual({
      driverConfig: 'Fast TCP',
      modbus: { unitId: 9, maxGapRegisters: 8, wordOrder: 'CDAB' },
      site: { line: 3 },
    });
    expect(deviceFields.safeParse(device).success).toBe(true);
  });

  it('makes a Modbus RTU device from the serial fields', () => {
    const values = {
      ...initialValues(null),
      name: 'Meter',
      protocol: 'ModbusRtu' as const,
      serialPath: ' /dev/ttyUSB0 ',
      baudRate: 9600,
      parity: 'none',
      stopBits: 2,
    };
    const device = toDevice(values, null);
    expect(device.endpoint).toBe('/dev/ttyUSB0');
    expect(device.config.modbus).toMatchObject({ unitId: 1, baudRate: 9600, parity: 'none', stopBits: 2, dataBits: 8 });
    expect(deviceFields.safeParse(device).success).toBe(true);
  });

  it('makes OPC UA and MQTT devices from their URL and settings, and drops an emptied driver configuration', () => {
    const opcua = toDevice(
      {
        ...initialValues(stored),
        protocol: 'OpcUa',
        url: 'opc.tcp://127.0.0.1:4840',
        driverConfig: '',
        securityMode: 'Sign',
      },
      stored,
    );
    expect(opcua.endpoint).toBe('opc.tcp://127.0.0.1:4840');
    expect(opcua.config).not.toHaveProperty('driverConfig');
    expect(opcua.config.opcua).toEqual({ securityMode: 'Sign', securityPolicy: 'None' });
    const mqtt = toDevice(
      { ...initialValues(null), protocol: 'Mqtt', url: 'mqtt://127.0.0.1:1883', clientId: 'gw-1' },
      null,
    );
    expect(mqtt.config.mqtt).toEqual({ clientId: 'gw-1' });
    const sparkplug = toDevice(
      { ...initialValues(null), protocol: 'Mqtt', url: 'mqtt://127.0.0.1:1883', sparkplugCommands: true },
      null,
    );
    expect(sparkplug.config.mqtt).toEqual({ sparkplug: { allowCommands: true } });
    expect(initialValues({ ...mqtt, config: sparkplug.config } as Device).sparkplugCommands).toBe(true);
  });
});
