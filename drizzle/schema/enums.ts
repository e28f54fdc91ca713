// The seed's PostgreSQL enums; their labels live in common/enums.ts so the renderer can use them.
import { pgEnum } from 'drizzle-orm/pg-core';
import {
  ALERT_LEVELS,
  ALERT_STATUSES,
  COMPARE_OPS,
  DEVICE_STATUSES,
  DRIVER_STATUSES,
  PROTOCOL_KINDS,
  TAG_ACCESS,
  TAG_DATA_TYPES,
  USER_ROLES,
  USER_STATUSES,
} from '../../common/enums.ts';

export const protocolKind = pgEnum('protocol_kind', PROTOCOL_KINDS);
export const deviceStatus = pgEnum('device_status', DEVICE_STATUSES);
export const tagDataType = pgEnum('tag_data_type', TAG_DATA_TYPES);
export const tagAccess = pgEnum('tag_access', TAG_ACCESS);
export const compareOp = pgEnum('compare_op', COMPARE_OPS);
export const alertLevel = pgEnum('alert_level', ALERT_LEVELS);
export const alertStatus = pgEnum('alert_status', ALERT_STATUSES);
export const driverStatus = pgEnum('driver_status', DRIVER_STATUSES);
export const userRole = pgEnum('user_role', USER_ROLES);
export const userStatus = pgEnum('user_status', USER_STATUSES);
