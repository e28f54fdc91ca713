// The UI's copy of the API's role table (main/api/access-policy.ts), used to hide or disable what
// the signed-in role cannot do; the server still decides every call. The type below makes the
// copy a compile error the moment it differs from the server's table.
import { USER_ROLES, type UserRole } from '../../../common/enums.ts';
import type { ACCESS_RULES, Access } from '../../../main/api/access-policy.ts';

type RoleTable = { [Level in Access]: (typeof ACCESS_RULES)[Level]['roles'] };

const ROLE_TABLE: RoleTable = {
  public: 'anyone',
  'own-account': USER_ROLES,
  read: USER_ROLES,
  'configure-devices': ['ADMIN', 'MAINTENANCE'],
  'configure-alerts': ['ADMIN', 'MAINTENANCE'],
  'configure-drivers': ['ADMIN', 'MAINTENANCE'],
  commission: ['ADMIN', 'MAINTENANCE'],
  'respond-to-alerts': ['ADMIN', 'OPERATOR'],
  'write-tags': ['ADMIN', 'MAINTENANCE', 'OPERATOR'],
  'manage-users': ['ADMIN'],
  'manage-plugins': ['ADMIN'],
  'read-audit': ['ADMIN'],
};

export type { Access };

export function roleMay(role: UserRole | undefined, access: Access): boolean {
  const roles: readonly UserRole[] | 'anyone' = ROLE_TABLE[access];
  if (roles === 'anyone') return true;
  return role !== undefined && roles.includes(role);
}
