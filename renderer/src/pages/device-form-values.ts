// The device form's fields and the device they make: the endpoint and config of each protocol
// (devices.endpoint, devices.config.modbus / .opcua / .mqtt / .driverConfig), keeping the config
// keys the form does not show.
import type { ProtocolKind } from '../../../common/enums.ts';
import type { Device as StoredDevice } from '../../../main/db/repositories/devices-repository.ts';
import type { DeviceFields } from '../../../main/records/device-record.ts';

/** a device as the API returns it (devices.list, devices.get) */
export type Device = StoredDevice;
type JsonObject = Record<string, unknown>;

export interface DeviceFormValues {
  name: string;
  description: string;
  protocol: ProtocolKind;
  location: string;
  enabled: boolean;
  driverConfig: string;
  host: string;
  port: number;
  serialPath: string;
  unitId: number;
  baudRate: number;
  dataBits: number;
  parity: string;
  stopBits: number;
  wordOrder: string;
  url: string;
  securityMode: string;
  securityPolicy: string;
  clientId: string;
  brokerUsername: string;
  /** config.mqtt.sparkplug.allowCommands: the driver may publish Sparkplug NCMD Rebirth requests */
  sparkplugCommands: boolean;
  endpoint: string;
  extraConfig: string;
}

function section(config: JsonObject, key: string): JsonObject {
  const value = config[key];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : {};
}

export function initialValues(device: Device | null): DeviceFormValues {
  const config = (device?.config ?? {}) as JsonObject;
  const modbus = section(config, 'modbus');
  const opcua = section(config, 'opcua');
  const mqtt = section(config, 'mqtt');
  const protocol = device?.protocol ?? 'ModbusTcp';
  const endpoint = device?.endpoint ?? '';
  const [host, port] = protocol === 'ModbusTcp' ? splitHostPort(endpoint) : ['127.0.0.1', 502];
  const { driverConfig: _d, modbus: _m, opcua: _o, mqtt: _q, ...extra } = config;
  return {
    name: device?.name ?? '',
    description: device?.description ?? '',
    protocol,
    location: device?.location ?? '',
    enabled: device?.enabled ?? true,
    driverConfig: typeof config.driverConfig === 'string' ? config.driverConfig : '',
    host,
    port,
    serialPath: protocol === 'ModbusRtu' ? endpoint : '',
    unitId: typeof modbus.unitId === 'number' ? modbus.unitId : 1,
    baudRate: typeof modbus.baudRate === 'number' ? modbus.baudRate : 19200,
    dataBits: typeof modbus.dataBits === 'number' ? modbus.dataBits : 8,
    parity: typeof modbus.parity === 'string' ? modbus.parity : 'even',
    stopBits: typeof modbus.stopBits === 'number' ? modbus.stopBits : 1,
    wordOrder: typeof modbus.wordOrder === 'string' ? modbus.wordOrder : 'ABCD',
    url: protocol === 'OpcUa' || protocol === 'Mqtt' ? endpoint : '',
    securityMode: typeof opcua.securityMode === 'string' ? opcua.securityMode : 'None',
    securityPolicy: typeof opcua.securityPolicy === 'string' ? opcua.securityPolicy : 'None',
    clientId: typeof mqtt.clientId === 'string' ? mqtt.clientId : '',
    brokerUsername: typeof mqtt.username === 'string' ? mqtt.username : '',
    sparkplugCommands: section(mqtt, 'sparkplug').allowCommands === true,
    endpoint: protocol === 'Custom' ? endpoint : '',
    extraConfig: Object.keys(extra).length ? JSON.stringify(extra, null, 2) : '',
  };
}

function splitHostPort(endpoint: string): [string, number] {
  const match = /^(.*):(\d+)$/.exec(endpoint);
  return match ? [match[1] ?? '', Number(match[2])] : [endpoint, 502];
}

/** The device's endpoint and config from the form, keeping config keys the form does not show. */
export function toDevice(values: DeviceFormValues, before: Device | null) {
  const previous = (before?.config ?? {}) as JsonObject;
  const { driverConfig: _d, ...kept } = previous;
  const extra = values.extraConfig.trim() ? (JSON.parse(values.extraConfig) as JsonObject) : {};
  const config: JsonObject = { ...kept, ...extra };
  if (values.driverConfig) config.driverConfig = values.driverConfig;
  let endpoint = values.endpoint;
  switch (values.protocol) {
    case 'ModbusTcp':
      endpoint = `${values.host.trim()}:${values.port}`;
      config.modbus = { ...section(previous, 'modbus'), unitId: values.unitId, wordOrder: values.wordOrder };
      break;
    case 'ModbusRtu':
      endpoint = values.serialPath.trim();
      config.modbus = {
        ...section(previous, 'modbus'),
        unitId: values.unitId,
        baudRate: values.baudRate,
        dataBits: values.dataBits,
        parity: values.parity,
        stopBits: values.stopBits,
        wordOrder: values.wordOrder,
      };
      break;
    case 'OpcUa':
      endpoint = values.url.trim();
      config.opcua = {
        ...section(previous, 'opcua'),
        securityMode: values.securityMode,
        securityPolicy: values.securityPolicy,
      };
      break;
    case 'Mqtt': {
      endpoint = values.url.trim();
      const mqtt = section(previous, 'mqtt');
      config.mqtt = {
        ...mqtt,
        ...(values.clientId ? { clientId: values.clientId } : {}),
        ...(values.brokerUsername ? { username: values.brokerUsername } : {}),
        ...(values.sparkplugCommands || 'sparkplug' in mqtt
          ? { sparkplug: { ...section(mqtt, 'sparkplug'), allowCommands: values.sparkplugCommands } }
          : {}),
      };
      break;
    }
    case 'Custom':
      break;
  }
  return {
    name: values.name,
    description: values.description,
    protocol: values.protocol,
    location: values.location,
    enabled: values.enabled,
    endpoint,
    // the form only ever adds JSON values to what the gateway sent
    config: config as NonNullable<DeviceFields['config']>,
  };
}
