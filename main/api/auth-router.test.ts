// Accounts and sessions through the API, on both database backends: first start, sign-in,
// lockout and its expiry, the same answer for every refusal, session expiry, idle timeout and
// revocation, forced password changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../test/database-backends.ts';
import { apiHarness, refusalOf, TEST_PASSWORD, type ApiHarness } from '../../test/api-harness.ts';
import { LOGIN_REFUSED_MESSAGE } from '../auth/auth-service.ts';
import { createConnection } from './api-context.ts';

const MINUTE = 60_000;

for (const backend of databaseBackends()) {
  describe.skipIf(!backend.available)(`auth on ${backend.name}`, () => {
    let h: ApiHarness;
    beforeAll(async () => {
      h = await apiHarness(await backend.open());
    });
    afterAll(() => h?.close());

    it('asks for the first ADMIN at first start, and only then', async () => {
      const api = h.caller();
      expect(await api.auth.setupStatus()).toEqual({ needsFirstAdmin: true, setupCodeRequired: false });
      const weak = await refusalOf(api.auth.setup({ username: 'root', password: 'short' }));
      expect(weak.code).toBe('BAD_REQUEST');
      expect(weak.message).toMatch(/at least 10 characters/);
      expect(weak.field).toBe('password');

      const result = await api.auth.setup({ username: 'root', password: TEST_PASSWORD, fullName: 'Plant Admin' });
      expect(result.session.user).toMatchObject({ username: 'root', role: 'ADMIN', mustChangePassword: false });
      expect(await api.auth.session()).toMatchObject({ user: { username: 'root' } });
      expect(await api.auth.setupStatus()).toMatchObject({ needsFirstAdmin: false });

      const again = await refusalOf(h.caller().auth.setup({ username: 'intruder', password: TEST_PASSWORD }));
      expect(again.code).toBe('CONFLICT');
      const audit = await h.services.audit.query({ actionPrefix: 'auth.setup' });
      expect(audit.map((a) => a.success).sort()).toEqual([false, false, true]);
    });

    it('needs the printed setup code for a first start from another computer', async () => {
      const remote = createConnection('websocket', { remoteAddress: '192.0.2.7' });
      expect(remote.isLocal).toBe(false);
      const api = h.caller(remote);
      expect(await api.auth.setupStatus()).toMatchObject({ setupCodeRequired: true });
      const guessed = await refusalOf(api.auth.setup({ username: 'x', password: TEST_PASSWORD, setupCode: 'guess' }));
      expect(guessed).toMatchObject({ code: 'FORBIDDEN', reason: 'SETUP_CODE_REQUIRED', field: 'setupCode' });
      // The right code passes that check (and meets the account made in the test above).
      const setupCode = h.services.auth.firstAdminSetupCode;
      const known = await refusalOf(api.auth.setup({ username: 'x', password: TEST_PASSWORD, setupCode }));
      expect(known).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_SET_UP' });
    });

    it('stores only the hash of a session token and of a password', async () => {
      const { connection, userId } = await h.signedInAs('VIEWER', 'hashcheck');
      const user = await h.services.repos.users.get(userId);
      expect(user?.passwordHash).toMatch(/^scrypt\$ln=10,r=8,p=1\$/);
      expect(user?.passwordHash).not.toContain(TEST_PASSWORD);
      const sessions = await h.services.repos.sessions.listForUser(userId);
      expect(sessions).toHaveLength(1);
      expect(sessions[0]?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect(sessions[0]?.tokenHash).not.toBe(connection.sessionToken);
    });

    it('gives the same answer for an unknown user, a wrong password and a locked account', async () => {
      await h.signedInAs('OPERATOR', 'lockme');
      const unknown = await refusalOf(h.caller().auth.login({ username: 'nobody', password: TEST_PASSWORD }));
      const wrong = await refusalOf(h.caller().auth.login({ username: 'lockme', password: 'wrong password!' }));
      expect(unknown.code).toBe('UNAUTHORIZED');
      expect(wrong.code).toBe('UNAUTHORIZED');
      expect(unknown.message).toBe(LOGIN_REFUSED_MESSAGE);
      expect(wrong.message).toBe(LOGIN_REFUSED_MESSAGE);

      for (let i = 0; i < 4; i++) {
        await refusalOf(h.caller().auth.login({ username: 'lockme', password: 'wrong password!' }));
      }
      const user = await h.services.repos.users.getByUsername('lockme');
      expect(user).toMatchObject({ status: 'LOCKED', failedLoginAttempts: 5 });
      expect(user?.lockedUntil?.getTime()).toBe(h.clock.now().getTime() + 15 * MINUTE);

      // Locked: even the right password gets the same answer.
      const locked = await refusalOf(h.caller().auth.login({ username: 'lockme', password: TEST_PASSWORD }));
      expect(locked.message).toBe(LOGIN_REFUSED_MESSAGE);

      const trail = await h.services.audit.query({ actionPrefix: 'auth.login', success: false });
      const reasons = trail.map((row) => (row.details as { reason?: string }).reason);
      expect(reasons).toContain('unknown-user');
      expect(reasons).toContain('wrong-password');
      expect(reasons).toContain('locked');
      expect(
        trail.find((row) => (row.details as { reason?: string }).reason === 'unknown-user')?.details,
      ).toMatchObject({ attemptedUsername: 'nobody' });
    });

    it('lifts a lockout after 15 minutes', async () => {
      h.clock.advance(15 * MINUTE - 1_000);
      const still = await refusalOf(h.caller().auth.login({ username: 'lockme', password: TEST_PASSWORD }));
      expect(still.code).toBe('UNAUTHORIZED');
      h.clock.advance(2_000);
      const api = h.caller();
      await api.auth.login({ username: 'lockme', password: TEST_PASSWORD });
      expect(await h.services.repos.users.getByUsername('lockme')).toMatchObject({
        status: 'ACTIVE',
        failedLoginAttempts: 0,
        lockedUntil: null,
      });
    });

    it('takes a similar time for an unknown user and a wrong password', async () => {
      const time = async (username: string) => {
        const start = performance.now();
        await refusalOf(h.caller().auth.login({ username, password: 'not the password' }));
        return performance.now() - start;
      };
      await h.signedInAs('VIEWER', 'timing');
      const unknown: number[] = [];
      const wrong: number[] = [];
      for (let i = 0; i < 6; i++) {
        unknown.push(await time(`ghost-${i}`));
        wrong.push(await time('timing'));
        await h.services.users.unlock((await h.services.repos.users.getByUsername('timing'))!.id);
      }
      // Both do one scrypt; the wrong password also writes its count. The fastest of several tries
      // is each path's own cost (a busy machine only ever adds time), so those are compared.
      const fastest = (values: number[]) => Math.min(...values);
      expect(Math.abs(fastest(unknown) - fastest(wrong))).toBeLessThan(Math.max(15, fastest(unknown)));
    });

    it('ends a session at its expiry and after the idle timeout', async () => {
      const idle = await h.signedInAs('VIEWER', 'idler');
      h.clock.advance(29 * MINUTE);
      expect(await idle.api.devices.list()).toEqual(expect.any(Array));
      h.clock.advance(29 * MINUTE); // active 29 minutes ago: still inside the 30-minute idle window
      expect(await idle.api.devices.list()).toEqual(expect.any(Array));
      h.clock.advance(31 * MINUTE);
      const ended = await refusalOf(idle.api.devices.list());
      expect(ended.code).toBe('UNAUTHORIZED');
      expect(ended.message).toMatch(/inactivity/);
      expect(idle.connection.sessionToken).toBeNull();

      const busy = await h.signedInAs('VIEWER', 'busy');
      for (let hour = 0; hour < 12; hour++) {
        h.clock.advance(20 * MINUTE);
        await busy.api.devices.list();
        h.clock.advance(20 * MINUTE);
        await busy.api.devices.list();
        h.clock.advance(20 * MINUTE);
        if (hour < 11) await busy.api.devices.list();
      }
      const expired = await refusalOf(busy.api.devices.list());
      expect(expired.message).toMatch(/expired/);
    });

    it('ends sessions at logout, at a password change and when an ADMIN revokes them', async () => {
      const admin = await h.signedInAs('ADMIN', 'revoker');
      const viewer = await h.signedInAs('VIEWER', 'revokee');
      const tokenBefore = viewer.connection.sessionToken as string;
      // A second sign-in of the same user on another connection.
      const other = h.caller(createConnection('direct'));
      await other.auth.login({ username: 'revokee', password: TEST_PASSWORD });

      const changed = await viewer.api.auth.changePassword({
        currentPassword: TEST_PASSWORD,
        newPassword: 'a brand new passphrase',
      });
      expect(changed.token).not.toBe(tokenBefore);
      expect((await refusalOf(other.devices.list())).code).toBe('UNAUTHORIZED');
      expect(await viewer.api.devices.list()).toEqual(expect.any(Array));
      expect((await h.services.auth.authenticate(tokenBefore)).ok).toBe(false);

      const { revoked } = await admin.api.users.revokeSessions({ id: viewer.userId });
      expect(revoked).toBe(1);
      expect((await refusalOf(viewer.api.devices.list())).message).toMatch(/ended/);

      const again = await h.signedInAs('VIEWER', 'leaving');
      await again.api.auth.logout();
      expect(await again.api.auth.session()).toBeNull();
      expect((await refusalOf(again.api.devices.list())).code).toBe('UNAUTHORIZED');
      const logout = await h.services.audit.query({ actionPrefix: 'auth.logout' });
      expect(logout[0]).toMatchObject({ success: true, details: expect.objectContaining({ username: 'leaving' }) });
    });

    it('forgets sessions a week after they ended', async () => {
      const { userId, api } = await h.signedInAs('VIEWER', 'forgotten');
      await api.auth.logout();
      expect(await h.services.repos.sessions.listForUser(userId)).toHaveLength(1);
      h.clock.advance(6 * 24 * 60 * MINUTE);
      await h.services.auth.purgeEndedSessions();
      expect(await h.services.repos.sessions.listForUser(userId)).toHaveLength(1);
      h.clock.advance(2 * 24 * 60 * MINUTE);
      expect(await h.services.auth.purgeEndedSessions()).toBeGreaterThanOrEqual(1);
      expect(await h.services.repos.sessions.listForUser(userId)).toHaveLength(0);
    });

    it('confines a session to a password change while one is due', async () => {
      const admin = await h.signedInAs('ADMIN', 'resetter');
      const user = await h.services.users.create(
        { username: 'newcomer', password: 'temporary password 1', role: 'OPERATOR' },
        admin.userId,
      );
      expect(user.mustChangePassword).toBe(true);
      const api = h.caller();
      await api.auth.login({ username: 'newcomer', password: 'temporary password 1' });
      const blocked = await refusalOf(api.devices.list());
      expect(blocked.code).toBe('FORBIDDEN');
      expect(blocked.reason).toBe('PASSWORD_CHANGE_REQUIRED');
      const wrongCurrent = await refusalOf(
        api.auth.changePassword({ currentPassword: 'nope', newPassword: 'my own passphrase' }),
      );
      expect(wrongCurrent.field).toBe('currentPassword');
      await api.auth.changePassword({ currentPassword: 'temporary password 1', newPassword: 'my own passphrase' });
      expect(await api.devices.list()).toEqual(expect.any(Array));

      // An expired password confines the session the same way.
      await admin.api.users.update({ id: user.id, passwordExpiresAt: new Date(h.clock.now().getTime() + MINUTE) });
      h.clock.advance(2 * MINUTE);
      const expiredApi = h.caller();
      await expiredApi.auth.login({ username: 'newcomer', password: 'my own passphrase' });
      expect((await expiredApi.auth.session())?.user.mustChangePassword).toBe(true);
      expect((await refusalOf(expiredApi.tags.list())).reason).toBe('PASSWORD_CHANGE_REQUIRED');
    });
  });
}
