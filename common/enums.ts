// Every enum of the seed's PostgreSQL design, in the seed's order: the single source for the
// database enums (drizzle/schema/enums.ts), the API's zod enums and the UI's pickers.

export const PROTOCOL_KINDS = ['ModbusTcp', 'ModbusRtu', 'OpcUa', 'Mqtt', 'Custom'] as const;
export const DEVICE_STATUSES = ['Online', 'Offline', 'Error', 'Maintenance', 'Unknown'] as const;
export const TAG_DATA_TYPES = [
  'Boolean',
  'Int8',
  'UInt8',
  'Int16',
  'UInt16',
  'Int32',
  'UInt32',
  'Int64',
  'UInt64',
  'Float',
  'Double',
  'String',
  'DateTime',
  'ByteArray',
] as const;
export const TAG_ACCESS = ['Read', 'Write', 'ReadWrite'] as const;
export const COMPARE_OPS = ['GT', 'LT', 'GTE', 'LTE', 'EQ', 'NE', 'BETWEEN', 'NOT_BETWEEN'] as const;
export const ALERT_LEVELS = ['INFO', 'WARNING', 'CRITICAL', 'FATAL'] as const;
export const ALERT_STATUSES = ['ACTIVE', 'ACKNOWLEDGED', 'RESOLVED', 'SUPPRESSED'] as const;
export const DRIVER_STATUSES = ['LOADED', 'RUNNING', 'STOPPED', 'ERROR', 'UNLOADED'] as const;
export const USER_ROLES = ['ADMIN', 'OPERATOR', 'VIEWER', 'MAINTENANCE'] as const;
export const USER_STATUSES = ['ACTIVE', 'INACTIVE', 'LOCKED', 'EXPIRED'] as const;

export type ProtocolKind = (typeof PROTOCOL_KINDS)[number];
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];
export type TagDataType = (typeof TAG_DATA_TYPES)[number];
export type TagAccess = (typeof TAG_ACCESS)[number];
export type CompareOp = (typeof COMPARE_OPS)[number];
export type AlertLevel = (typeof ALERT_LEVELS)[number];
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export type DriverStatus = (typeof DRIVER_STATUSES)[number];
export type UserRole = (typeof USER_ROLES)[number];
export type UserStatus = (typeof USER_STATUSES)[number];
