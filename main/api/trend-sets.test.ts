// Saved trend sets through the API on both relational backends: every role keeps its own sets,
// nobody sees or changes another user's, bad definitions are refused naming the field, a
// duplicate name is a conflict in words, every change leaves an audit row, and deleting the
// user deletes their sets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrendDefinition } from '../../common/trend-definition.ts';
import { apiHarness, refusalOf, type ApiHarness } from '../../test/api-harness.ts';
import { databaseBackends } from '../../test/database-backends.ts';

const TAG_A = '00000000-0000-4000-8000-00000000000a';
const TAG_B = '00000000-0000-4000-8000-00000000000b';
const BOILER: TrendDefinition = {
  pens: [
    { tagId: TAG_A, color: '#1f77b4' },
    { tagId: TAG_B, color: '#ff7f0e' },
  ],
  range: { mode: 'preset', preset: '8h' },
};

for (const backend of databaseBackends()) {
  describe.skipIf(!backend.available)(`saved trend sets on ${backend.name}`, () => {
    let h: ApiHarness;
    beforeAll(async () => {
      h = await apiHarness(await backend.open());
    });
    afterAll(() => h?.close());

    it('lets a VIEWER save, list, rename, overwrite and delete their own sets, audited', async () => {
      const { api, userId } = await h.signedInAs('VIEWER', 'viewer-sets');
      const saved = await api.trends.sets.create({ name: ' Boiler day ', definition: BOILER });
      expect(saved).toMatchObject({ name: 'Boiler day', definition: BOILER });
      await api.trends.sets.create({
        name: 'Another',
        definition: { pens: [{ tagId: TAG_A, color: '#000000' }], range: { mode: 'live', preset: '15m' } },
      });
      expect((await api.trends.sets.list()).map((s) => s.name)).toEqual(['Another', 'Boiler day']);

      const renamed = await api.trends.sets.update({ id: saved.id, name: 'Boiler week' });
      expect(renamed).toMatchObject({ name: 'Boiler week', definition: BOILER });
      const custom: TrendDefinition = { ...BOILER, range: { mode: 'custom', fromMs: 1_000, toMs: 61_000 } };
      const overwritten = await api.trends.sets.update({ id: saved.id, definition: custom });
      expect(overwritten).toMatchObject({ name: 'Boiler week', definition: custom });
      expect(overwritten.updatedAt.getTime()).toBeGreaterThanOrEqual(saved.updatedAt.getTime());

      expect(await api.trends.sets.delete({ id: saved.id })).toEqual({ id: saved.id });
      expect((await api.trends.sets.list()).map((s) => s.name)).toEqual(['Another']);

      const audit = await h.services.repos.auditLogs.query({ actionPrefix: 'trends.sets.' });
      const mine = audit.filter((row) => row.userId === userId);
      expect(mine.map((row) => row.action).sort()).toEqual([
        'trends.sets.create',
        'trends.sets.create',
        'trends.sets.delete',
        'trends.sets.update',
        'trends.sets.update',
      ]);
      expect(mine.every((row) => row.resourceType === 'trend_set' && row.success)).toBe(true);
      expect(mine.find((row) => row.action === 'trends.sets.delete')).toMatchObject({
        resourceId: saved.id,
        details: expect.objectContaining({ name: 'Boiler week' }),
      });
    });

    it("keeps each user's sets to themselves", async () => {
      const alice = await h.signedInAs('OPERATOR', 'alice');
      const bob = await h.signedInAs('ADMIN', 'bob');
      const hers = await alice.api.trends.sets.create({ name: 'Shared name', definition: BOILER });
      // the same name is fine for another user
      await bob.api.trends.sets.create({ name: 'Shared name', definition: BOILER });
      expect((await bob.api.trends.sets.list()).map((s) => s.id)).not.toContain(hers.id);

      for (const call of [
        () => bob.api.trends.sets.update({ id: hers.id, name: 'Taken over' }),
        () => bob.api.trends.sets.delete({ id: hers.id }),
      ]) {
        const refusal = await refusalOf(call());
        expect(refusal.code).toBe('NOT_FOUND');
        expect(refusal.message).toMatch(/^Trend set .* does not exist\.$/);
      }
      expect((await alice.api.trends.sets.list()).map((s) => s.name)).toEqual(['Shared name']);

      const anonymous = await refusalOf(h.caller().trends.sets.list());
      expect(anonymous.code).toBe('UNAUTHORIZED');
    });

    it('refuses a duplicate name and bad definitions, naming the field, and changes nothing', async () => {
      const { api } = await h.signedInAs('MAINTENANCE', 'maint-sets');
      await api.trends.sets.create({ name: 'Pumps', definition: BOILER });
      const twice = await refusalOf(api.trends.sets.create({ name: 'Pumps', definition: BOILER }));
      expect(twice).toMatchObject({ code: 'CONFLICT', field: 'name' });
      expect(twice.message).toBe("You already have a trend set named 'Pumps'.");

      const cases: Array<[unknown, string]> = [
        [{ name: '  ', definition: BOILER }, 'name'],
        [{ name: 'x', definition: { ...BOILER, pens: [] } }, 'definition.pens'],
        [
          { name: 'x', definition: { ...BOILER, pens: [{ tagId: 'nope', color: '#000000' }] } },
          'definition.pens.0.tagId',
        ],
        [{ name: 'x', definition: { ...BOILER, pens: [{ tagId: TAG_A, color: 'red' }] } }, 'definition.pens.0.color'],
        [{ name: 'x', definition: { ...BOILER, range: { mode: 'live', preset: '2h' } } }, 'definition.range.preset'],
        [
          { name: 'x', definition: { ...BOILER, range: { mode: 'custom', fromMs: 10, toMs: 5 } } },
          'definition.range.toMs',
        ],
      ];
      for (const [input, field] of cases) {
        const refusal = await refusalOf(api.trends.sets.create(input as never));
        expect(refusal.code, field).toBe('BAD_REQUEST');
        expect(refusal.field, JSON.stringify(input)).toBe(field);
      }
      expect((await api.trends.sets.list()).map((s) => s.name)).toEqual(['Pumps']);
    });

    it("deletes a user's sets with the user", async () => {
      const admin = await h.signedInAs('ADMIN', 'admin-sets');
      const { api, userId } = await h.signedInAs('VIEWER', 'leaver');
      await api.trends.sets.create({ name: 'Mine', definition: BOILER });
      await admin.api.users.delete({ id: userId });
      expect(await h.services.repos.trendSets.list(userId)).toEqual([]);
    });
  });
}
