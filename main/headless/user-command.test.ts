// The lost-password way back in, on a real data folder: create an ADMIN, reset a forgotten
// password (which also lifts a lockout), refuse while a gateway runs on the folder.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../test/database-backends.ts';
import { inject } from 'vitest';
import { createGateway } from '../gateway/create-gateway.ts';
import type { ServeCommand } from './serve-options.ts';
import { runUserCommand } from './user-command.ts';

type UserCommand = Extract<ServeCommand, { kind: 'user' }>;

/** Runs the command with `stdin` piped in; returns its exit code and what it printed. */
async function run(command: UserCommand, stdin: string): Promise<{ code: number; printed: string }> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  input.end(stdin);
  const code = await runUserCommand(command, { input, output });
  return { code, printed };
}

describe('the user command', () => {
  let dataDir: string;
  let databaseUrl: string | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'gw-user-cmd-'));
    // PostgreSQL when the suite has it (a fresh on-disk PGlite costs seconds); the e2e suite runs
    // the built command on PGlite.
    const postgresUrl = inject('postgresUrl');
    databaseUrl = postgresUrl ? await createPostgresDatabase(postgresUrl) : undefined;
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  const command = (action: UserCommand['action'], username: string): UserCommand => ({
    kind: 'user',
    action,
    username,
    dataDir,
    databaseUrl,
  });

  it('creates an administrator with a password from standard input', async () => {
    const weak = await run(command('create-admin', 'rescuer'), 'short\n');
    expect(weak).toEqual({ code: 1, printed: 'The password must be at least 10 characters long.\n' });
    const created = await run(command('create-admin', 'rescuer'), 'a long rescue passphrase\n');
    expect(created).toEqual({
      code: 0,
      printed: "Created the administrator 'rescuer'. Sign in with the new password.\n",
    });
    const again = await run(command('create-admin', 'Rescuer'), 'a long rescue passphrase\n');
    expect(again.code).toBe(1);
    expect(again.printed).toMatch(/already a user named 'rescuer'/);
    expect((await run(command('create-admin', 'bad name!'), 'x')).code).toBe(2);
  });

  it('resets a forgotten password, lifts the lockout and ends sessions', async () => {
    const gateway = await createGateway({ dataDir, databaseUrl }, { auth: { hashCost: { logN: 10, r: 8, p: 1 } } });
    const client = { ipAddress: null, userAgent: null };
    try {
      const { session } = await gateway.auth.login('rescuer', 'a long rescue passphrase', client);
      for (let i = 0; i < 5; i++) await gateway.auth.login('rescuer', 'forgotten', client).catch(() => undefined);
      expect(await gateway.repos.users.getByUsername('rescuer')).toMatchObject({ status: 'LOCKED' });
      expect(await gateway.repos.sessions.listActiveForUser(session.user.id, new Date())).toHaveLength(1);

      // While the gateway runs, the command refuses to touch its folder.
      const busy = await run(command('reset-password', 'rescuer'), 'another passphrase\n');
      expect(busy.code).toBe(1);
      expect(busy.printed).toMatch(/Another Gateway Workstation \(process \d+\) is using the data folder/);
    } finally {
      await gateway.stop();
    }

    expect((await run(command('reset-password', 'nobody'), 'x\n')).printed).toMatch(/no user named 'nobody'/);
    const reset = await run(command('reset-password', 'RESCUER'), 'another passphrase\r\n');
    expect(reset).toEqual({
      code: 0,
      printed: "Set a new password for 'rescuer', unlocked the account and ended its sessions.\n",
    });
    const after = await createGateway({ dataDir, databaseUrl });
    try {
      expect(await after.repos.users.getByUsername('rescuer')).toMatchObject({
        status: 'ACTIVE',
        failedLoginAttempts: 0,
        mustChangePassword: false,
      });
      const rescuer = await after.repos.users.getByUsername('rescuer');
      expect(await after.repos.sessions.listActiveForUser(rescuer!.id, new Date())).toHaveLength(0);
      await expect(
        after.auth.login('rescuer', 'another passphrase', { ipAddress: null, userAgent: null }),
      ).resolves.toBeTruthy();
      const trail = await after.audit.query({ actionPrefix: 'users.resetPassword' });
      expect(trail[0]?.details).toMatchObject({
        via: 'terminal',
        reset: 'rescuer',
        username: expect.stringMatching(/\(terminal\)$/),
      });
    } finally {
      await after.stop();
    }
  });
});
