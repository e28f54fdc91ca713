// What a device is when a user creates, changes, imports or exports one: the seed's devices
// columns a user sets (status, last_seen and the audit columns are the gateway's own).
import { z } from 'zod';
import { DEVICE_STATUSES, PROTOCOL_KINDS } from '../../common/enums.ts';
import { jsonObject, name, optionalName, optionalText, text, oneOf } from '../api/api-schemas.ts';

export const deviceFields = z.object({
  name: name(255),
  description: optionalText(10_000),
  protocol: oneOf(PROTOCOL_KINDS),
  location: optionalName(255),
  /** host:port, a serial port, an OPC UA URL or a broker URL, as the protocol's driver expects */
  endpoint: name(255),
  config: jsonObject.optional(),
  enabled: z.boolean('must be true or false').optional(),
});

export type DeviceFields = z.output<typeof deviceFields>;

export const deviceFilter = z.object({
  search: text(255).optional(),
  protocol: oneOf(PROTOCOL_KINDS).optional(),
  status: oneOf(DEVICE_STATUSES).optional(),
  enabled: z.boolean().optional(),
});
