// The built-in OPC UA client driver as the driver manager and driver_registry see it. node-opcua
// is not imported here: registering the driver costs nothing at start.
import type { DriverFactory } from '../driver-contract.ts';
import { opcUaCapabilities, OpcUaDriver } from './opcua-driver.ts';
import type { OpcUaPki } from './opcua-pki.ts';

export const OPCUA_DRIVER_VERSION = '1.0.0';

export function opcUaDriverFactory(pki: OpcUaPki): DriverFactory {
  return {
    protocol: 'OpcUa',
    name: 'OPC UA',
    version: OPCUA_DRIVER_VERSION,
    description:
      'OPC UA client (node-opcua): subscriptions with many monitored items, security None/Sign/SignAndEncrypt, username, browse',
    capabilities: opcUaCapabilities(),
    unavailableReason: () => Promise.resolve(undefined),
    create: () => new OpcUaDriver(pki),
  };
}
