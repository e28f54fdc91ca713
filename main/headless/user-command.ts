// `npm run serve -- user create-admin <name>` and `user reset-password <name>`: the way back in
// when every administrator is locked out or has forgotten their password. It needs the machine
// and its data folder, which is the proof of authority; it refuses while a gateway runs on the
// folder, and leaves an audit row naming the operating-system user who ran it.
import os from 'node:os';
import { createApiServices } from '../api/api-services.ts';
import { username as usernameSchema } from '../api/auth-router.ts';
import { lockDataFolder } from '../config/data-folder-lock.ts';
import { dataFolders } from '../config/data-folders.ts';
import { openDatabase } from '../db/database.ts';
import { readNewPassword, type PasswordIo } from './password-input.ts';
import type { ServeCommand } from './serve-options.ts';

type UserCommand = Extract<ServeCommand, { kind: 'user' }>;

/** Runs the command; returns the process exit code. Messages go to `io.output`. */
export async function runUserCommand(command: UserCommand, io: PasswordIo): Promise<number> {
  const say = (line: string): void => void io.output.write(`${line}\n`);
  const parsedName = usernameSchema.safeParse(command.username);
  if (!parsedName.success) {
    say(`The username ${parsedName.error.issues[0]?.message ?? 'is not valid'}.`);
    return 2;
  }
  const username = parsedName.data;
  const folders = dataFolders(command.dataDir);
  let lock;
  try {
    lock = lockDataFolder(folders.root);
  } catch (error) {
    say((error as Error).message);
    return 1;
  }
  try {
    const database = await openDatabase({ url: command.databaseUrl, pgliteDir: folders.pglite });
    try {
      const services = createApiServices(database);
      const existing = await services.repos.users.getByUsername(username);
      if (command.action === 'create-admin' && existing) {
        say(`There is already a user named '${existing.username}'; use 'user reset-password ${existing.username}'.`);
        return 1;
      }
      if (command.action === 'reset-password' && !existing) {
        say(`There is no user named '${username}' in ${database.description}.`);
        return 1;
      }
      const password = await readNewPassword(io, `New password for ${username}`);
      const actor = { userId: null, username: `${os.userInfo().username} (terminal)` };
      if (command.action === 'create-admin') {
        const user = await services.users.create(
          { username, password, role: 'ADMIN', mustChangePassword: false },
          null,
        );
        await services.audit.record({
          actor,
          action: 'users.create',
          resourceType: 'users',
          resourceId: user.id,
          details: { via: 'terminal', created: user.username, role: 'ADMIN' },
          success: true,
        });
        say(`Created the administrator '${user.username}'. Sign in with the new password.`);
      } else {
        const user = existing!;
        await services.users.resetPassword(user.id, password, { mustChangePassword: false });
        await services.users.unlock(user.id);
        await services.audit.record({
          actor,
          action: 'users.resetPassword',
          resourceType: 'users',
          resourceId: user.id,
          details: { via: 'terminal', reset: user.username },
          success: true,
        });
        say(`Set a new password for '${user.username}', unlocked the account and ended its sessions.`);
      }
      return 0;
    } finally {
      await database.close();
    }
  } catch (error) {
    say((error as Error).message);
    return 1;
  } finally {
    lock.release();
  }
}
