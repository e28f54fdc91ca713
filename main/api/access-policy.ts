// Who may do what: the whole role model in one table. Every procedure names one of these access
// levels (procedure(access) in trpc.ts); the main process checks the caller's role against this
// table before the procedure's input is even read. The README's role table is this table.
import { USER_ROLES, type UserRole } from '../../common/enums.ts';

interface AccessRule {
  /** the roles allowed; 'anyone' also admits callers who are not signed in */
  roles: readonly UserRole[] | 'anyone';
  /** completes "Your role may not …" when a caller is refused */
  refusal: string;
}

const EVERY_ROLE = USER_ROLES;

export const ACCESS_RULES = {
  /** sign-in, first start, "am I signed in?" */
  public: { roles: 'anyone', refusal: '' },
  /** one's own session and password: allowed even while a password change is due */
  'own-account': { roles: EVERY_ROLE, refusal: 'manage this session' },
  /** devices, tags, alert rules and history, drivers, system health, exports */
  read: { roles: EVERY_ROLE, refusal: 'read gateway data' },
  /** devices and tags: create, change, delete, import */
  'configure-devices': { roles: ['ADMIN', 'MAINTENANCE'], refusal: 'change devices or tags' },
  'configure-alerts': { roles: ['ADMIN', 'MAINTENANCE'], refusal: 'change alert rules' },
  /** driver configurations; starting and stopping drivers */
  'configure-drivers': { roles: ['ADMIN', 'MAINTENANCE'], refusal: 'change or control drivers' },
  /** serial ports, one-off Modbus reads and writes, OPC UA browse, MQTT sniffing */
  commission: { roles: ['ADMIN', 'MAINTENANCE'], refusal: 'use the commissioning tools' },
  /** acknowledge and shelve alerts */
  'respond-to-alerts': { roles: ['ADMIN', 'OPERATOR'], refusal: 'acknowledge or shelve alerts' },
  /** write a tag's value; the tag's access_type must allow writing as well */
  'write-tags': { roles: ['ADMIN', 'MAINTENANCE', 'OPERATOR'], refusal: 'write tag values' },
  'manage-users': { roles: ['ADMIN'], refusal: 'manage user accounts' },
  /** register or remove a plugin driver: code that runs inside the gateway */
  'manage-plugins': { roles: ['ADMIN'], refusal: 'register or remove plugin drivers' },
  'read-audit': { roles: ['ADMIN'], refusal: 'read the audit trail' },
} as const satisfies Record<string, AccessRule>;

export type Access = keyof typeof ACCESS_RULES;

/** Whether a caller with `role` (undefined: not signed in) may use a procedure needing `access`. */
export function roleMay(role: UserRole | undefined, access: Access): boolean {
  const { roles } = ACCESS_RULES[access] as AccessRule;
  if (roles === 'anyone') return true;
  return role !== undefined && roles.includes(role);
}

export function refusalMessage(role: UserRole, access: Access): string {
  return `Your role (${role}) may not ${ACCESS_RULES[access].refusal}.`;
}
