// What an ADMIN does to accounts. The one rule that protects everybody: the gateway always keeps
// an administrator who can sign in, so the last one can be neither deleted, demoted, locked nor
// disabled (the check and the change run in one transaction, with the other administrators'
// rows locked, so two administrators cannot demote each other at the same moment).
import type { UserRole, UserStatus } from '../../common/enums.ts';
import type { Database } from '../db/database.ts';
import { requireRecord } from '../db/database-errors.ts';
import { repositories, type Repositories } from '../db/repositories/repositories.ts';
import type { UserSession } from '../db/repositories/sessions-repository.ts';
import type { User, UserPatch } from '../db/repositories/users-repository.ts';
import type { Clock } from '../gateway/clock.ts';
import { OperationRefusedError } from '../gateway/operation-refused-error.ts';
import type { AuthService } from './auth-service.ts';

/** An account as the API shows it: everything but the password hash and salt. */
export type UserView = Omit<User, 'passwordHash' | 'salt'>;

export function toUserView(user: User): UserView {
  const { passwordHash: _hash, salt: _salt, ...view } = user;
  return view;
}

export interface NewAccount {
  username: string;
  password: string;
  role: UserRole;
  fullName?: string | null;
  email?: string | null;
  /** the new user must choose their own password at first sign-in (default true) */
  mustChangePassword?: boolean;
}

export interface AccountPatch {
  role?: UserRole;
  /** LOCKED is set by lock(), not here */
  status?: Exclude<UserStatus, 'LOCKED'>;
  fullName?: string | null;
  email?: string | null;
  passwordExpiresAt?: Date | null;
}

export class UserAdministration {
  private readonly repos: Repositories;

  constructor(
    private readonly db: Database,
    private readonly auth: AuthService,
    private readonly clock: Clock,
  ) {
    this.repos = repositories(db);
  }

  async list(): Promise<UserView[]> {
    return (await this.repos.users.list()).map(toUserView);
  }

  async get(id: string): Promise<UserView> {
    return toUserView(await this.require(id));
  }

  async create(input: NewAccount, createdBy: string | null): Promise<UserView> {
    this.auth.checkPasswordPolicy(input.password, input.username, 'password');
    const existing = await this.repos.users.getByUsername(input.username);
    if (existing) {
      // The unique index is on the exact spelling; sign-in matches case-insensitively.
      throw new OperationRefusedError('conflict', `The username '${existing.username}' is already taken.`, {
        field: 'username',
      });
    }
    const user = await this.repos.users.create({
      username: input.username,
      passwordHash: await this.auth.hashPassword(input.password),
      role: input.role,
      fullName: input.fullName ?? null,
      email: input.email ?? null,
      mustChangePassword: input.mustChangePassword ?? true,
      passwordExpiresAt: this.auth.passwordExpiry(),
      createdBy,
    });
    return toUserView(user);
  }

  async update(id: string, patch: AccountPatch): Promise<UserView> {
    const changes: UserPatch = {};
    if (patch.role !== undefined) changes.role = patch.role;
    if (patch.status !== undefined) {
      changes.status = patch.status;
      if (patch.status === 'ACTIVE') Object.assign(changes, { failedLoginAttempts: 0, lockedUntil: null });
    }
    if (patch.fullName !== undefined) changes.fullName = patch.fullName;
    if (patch.email !== undefined) changes.email = patch.email;
    if (patch.passwordExpiresAt !== undefined) changes.passwordExpiresAt = patch.passwordExpiresAt;
    const user = await this.changeKeepingAnAdmin(id, changes, 'demote or disable');
    if (user.status !== 'ACTIVE') await this.auth.revokeUserSessions(id);
    this.auth.forgetUser(id);
    return toUserView(user);
  }

  /** An ADMIN's lock: no end time, sessions end now; unlock() lifts it. */
  async lock(id: string): Promise<UserView> {
    const user = await this.changeKeepingAnAdmin(id, { status: 'LOCKED', lockedUntil: null }, 'lock');
    await this.auth.revokeUserSessions(id);
    return toUserView(user);
  }

  /** Lifts an ADMIN's lock or a lockout after failed logins. */
  async unlock(id: string): Promise<UserView> {
    const user = await this.require(id);
    const updated = await this.repos.users.update(id, {
      status: user.status === 'LOCKED' ? 'ACTIVE' : user.status,
      failedLoginAttempts: 0,
      lockedUntil: null,
    });
    this.auth.forgetUser(id);
    return toUserView(updated);
  }

  /**
   * Sets a new password for someone else. `mustChangePassword` (default true) makes them choose
   * their own at the next sign-in; the terminal's `user reset-password` passes false, because
   * the person at the terminal is the one who lost it. A lockout after failed logins is lifted.
   */
  async resetPassword(
    id: string,
    newPassword: string,
    options: { mustChangePassword?: boolean } = {},
  ): Promise<UserView> {
    const user = await this.require(id);
    this.auth.checkPasswordPolicy(newPassword, user.username, 'newPassword');
    const updated = await this.repos.users.update(id, {
      passwordHash: await this.auth.hashPassword(newPassword),
      mustChangePassword: options.mustChangePassword ?? true,
      passwordExpiresAt: this.auth.passwordExpiry(),
      failedLoginAttempts: 0,
      ...(user.status === 'LOCKED' && user.lockedUntil !== null
        ? { status: 'ACTIVE' as const, lockedUntil: null }
        : {}),
    });
    await this.auth.revokeUserSessions(id);
    return toUserView(updated);
  }

  async revokeSessions(id: string): Promise<number> {
    await this.require(id);
    return this.auth.revokeUserSessions(id);
  }

  async activeSessions(id: string): Promise<Omit<UserSession, 'tokenHash' | 'refreshTokenHash'>[]> {
    await this.require(id);
    const rows = await this.repos.sessions.listActiveForUser(id, this.clock.now());
    return rows.map(({ tokenHash: _t, refreshTokenHash: _r, ...session }) => session);
  }

  async delete(id: string, actorId: string | null): Promise<UserView> {
    if (id === actorId) {
      throw new OperationRefusedError('conflict', 'You cannot delete your own account; ask another administrator.');
    }
    const user = await this.db.transaction(async (tx) => {
      const txRepos = repositories(tx);
      const target = await this.require(id, txRepos);
      if (target.role === 'ADMIN') await this.requireAnotherAdmin(target, txRepos, 'delete');
      await txRepos.users.delete(id);
      return target;
    });
    this.auth.forgetUser(id);
    return toUserView(user);
  }

  /** Applies `changes`, refusing when they would leave no administrator who can sign in. */
  private changeKeepingAnAdmin(id: string, changes: UserPatch, verb: string): Promise<User> {
    return this.db.transaction(async (tx) => {
      const txRepos = repositories(tx);
      const target = await this.require(id, txRepos);
      const demotes = changes.role !== undefined && changes.role !== 'ADMIN';
      const disables = changes.status !== undefined && changes.status !== 'ACTIVE';
      if (target.role === 'ADMIN' && (demotes || disables)) await this.requireAnotherAdmin(target, txRepos, verb);
      return txRepos.users.update(id, changes);
    });
  }

  private async requireAnotherAdmin(target: User, txRepos: Repositories, verb: string): Promise<void> {
    if ((await txRepos.users.otherUsableAdminIds(target.id)).length === 0) {
      throw new OperationRefusedError(
        'conflict',
        `'${target.username}' is the last administrator who can sign in: make another user ADMIN before you ${verb} this one.`,
        { reason: 'LAST_ADMIN' },
      );
    }
  }

  private async require(id: string, repos: Repositories = this.repos): Promise<User> {
    return requireRecord(await repos.users.get(id), 'user', id);
  }
}
