// The UI hides exactly what the gateway refuses: its role table answers as the server's does for
// every role and access level.
import { describe, expect, it } from 'vitest';
import { USER_ROLES } from '../../../common/enums.ts';
import { ACCESS_RULES, roleMay as serverRoleMay, type Access } from '../../../main/api/access-policy.ts';
import { roleMay } from './role-access.ts';

describe('role access in the UI', () => {
  it('matches the API for every role, level and a caller who is not signed in', () => {
    for (const access of Object.keys(ACCESS_RULES) as Access[]) {
      for (const role of [...USER_ROLES, undefined]) {
        expect(roleMay(role, access), `${role} ${access}`).toBe(serverRoleMay(role, access));
      }
    }
  });
});
