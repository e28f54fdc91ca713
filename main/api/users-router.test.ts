// Account administration on both backends: the last administrator stays, locks and resets end
// sessions, and no password hash ever leaves the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, refusalOf, TEST_PASSWORD, type ApiHarness } from '../../test/api-harness.ts';
import { databaseBackends } from '../../test/database-backends.ts';

for (const backend of databaseBackends()) {
  describe.skipIf(!backend.available)(`users on ${backend.name}`, () => {
    let h: ApiHarness;
    beforeAll(async () => {
      h = await apiHarness(await backend.open());
    });
    afterAll(() => h?.close());

    it('keeps the last administrator: no delete, demotion, lock or disabling', async () => {
      // The harness's first ADMIN is 'first-admin'; sign in as them.
      await h.signedInAs('VIEWER', 'bystander');
      const api = h.caller();
      await api.auth.login({ username: 'first-admin', password: TEST_PASSWORD });
      const me = (await api.auth.session())!.user;
      const second = await api.users.create({ username: 'second-admin', password: TEST_PASSWORD, role: 'ADMIN' });

      // With two administrators, one may be demoted...
      await api.users.update({ id: second.id, role: 'MAINTENANCE' });
      // ...but now first-admin is the last one.
      for (const attempt of [
        () => api.users.update({ id: me.id, role: 'VIEWER' }),
        () => api.users.update({ id: me.id, status: 'INACTIVE' }),
        () => api.users.lock({ id: me.id }),
      ]) {
        const error = await refusalOf(attempt());
        expect(error.code).toBe('CONFLICT');
        expect(error.reason).toBe('LAST_ADMIN');
        expect(error.message).toMatch(/'first-admin' is the last administrator/);
      }
      expect((await refusalOf(api.users.delete({ id: me.id }))).message).toMatch(/your own account/);
      expect(await h.services.repos.users.getByUsername('first-admin')).toMatchObject({
        role: 'ADMIN',
        status: 'ACTIVE',
      });

      // A second administrator deleting the first is refused only while they are the last.
      await api.users.update({ id: second.id, role: 'ADMIN' });
      const other = h.caller();
      await other.auth.login({ username: 'second-admin', password: TEST_PASSWORD });
      await other.auth.changePassword({ currentPassword: TEST_PASSWORD, newPassword: 'second admin passphrase' });
      await other.users.delete({ id: me.id });
      const last = await refusalOf(other.users.lock({ id: second.id }));
      expect(last.reason).toBe('LAST_ADMIN');
      // The deleted admin's audit rows stay, with their name.
      const trail = await h.services.audit.query({ username: 'first-admin' });
      expect(trail.length).toBeGreaterThan(0);
      expect(trail.every((row) => row.userId === null)).toBe(true);
    });

    it('ends sessions on lock, disabling and reset; unlock and reset lift a lockout', async () => {
      let { api: admin } = await h.signedInAs('ADMIN', 'boss');
      const worker = await h.signedInAs('OPERATOR', 'worker');
      await admin.users.lock({ id: worker.userId });
      expect((await refusalOf(worker.api.devices.list())).code).toBe('UNAUTHORIZED');
      expect((await refusalOf(h.caller().auth.login({ username: 'worker', password: TEST_PASSWORD }))).code).toBe(
        'UNAUTHORIZED',
      );
      // An ADMIN's lock does not end by itself.
      h.clock.advance(24 * 3_600_000);
      expect((await refusalOf(h.caller().auth.login({ username: 'worker', password: TEST_PASSWORD }))).code).toBe(
        'UNAUTHORIZED',
      );
      ({ api: admin } = await h.signedInAs('ADMIN', 'boss')); // a day later: a new session
      await admin.users.unlock({ id: worker.userId });
      const again = await h.signedInAs('OPERATOR', 'worker');
      await admin.users.update({ id: worker.userId, status: 'INACTIVE' });
      expect((await refusalOf(again.api.devices.list())).code).toBe('UNAUTHORIZED');
      await admin.users.update({ id: worker.userId, status: 'ACTIVE' });

      const reset = await admin.users.resetPassword({ id: worker.userId, newPassword: 'temporary passphrase' });
      expect(reset.mustChangePassword).toBe(true);
      const fresh = h.caller();
      await fresh.auth.login({ username: 'worker', password: 'temporary passphrase' });
      expect((await refusalOf(fresh.tags.list())).reason).toBe('PASSWORD_CHANGE_REQUIRED');
    });

    it('refuses a taken username in any letter case and a weak password, naming the field', async () => {
      const { api } = await h.signedInAs('ADMIN', 'creator');
      await api.users.create({ username: 'Operator.Li', password: TEST_PASSWORD, role: 'OPERATOR' });
      const taken = await refusalOf(
        api.users.create({ username: 'operator.li', password: TEST_PASSWORD, role: 'VIEWER' }),
      );
      expect(taken).toMatchObject({ code: 'CONFLICT', field: 'username' });
      const weak = await refusalOf(api.users.create({ username: 'weakling', password: 'weakling123', role: 'VIEWER' }));
      expect(weak).toMatchObject({ code: 'BAD_REQUEST', field: 'password' });
      expect(weak.message).toMatch(/must not contain the username/);
      const badName = await refusalOf(
        api.users.create({ username: "x'; DROP TABLE users;--", password: TEST_PASSWORD, role: 'VIEWER' }),
      );
      expect(badName).toMatchObject({ code: 'BAD_REQUEST', field: 'username' });
      const email = await refusalOf(
        api.users.create({ username: 'mailer', password: TEST_PASSWORD, role: 'VIEWER', email: 'not-an-address' }),
      );
      expect(email).toMatchObject({ code: 'BAD_REQUEST', field: 'email' });
    });

    it('never shows a password hash', async () => {
      const { api, userId } = await h.signedInAs('ADMIN', 'looker');
      const listed = await api.users.list();
      expect(listed.length).toBeGreaterThan(1);
      for (const user of [...listed, await api.users.get({ id: userId })]) {
        expect(user).not.toHaveProperty('passwordHash');
        expect(user).not.toHaveProperty('salt');
      }
      const sessions = await api.users.sessions({ id: userId });
      expect(sessions).toHaveLength(1);
      expect(sessions[0]).not.toHaveProperty('tokenHash');
    });
  });
}
