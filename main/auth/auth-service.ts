// Sign-in, sessions and one's own password. The rules:
//  * no default account: the first ADMIN is created at first start (or with `user create-admin`);
//  * a wrong password, an unknown user, a locked and a disabled account get the same answer,
//    after the same work (one scrypt), so the answer tells an attacker nothing;
//  * 5 wrong passwords lock an account for 15 minutes (failed_login_attempts, locked_until,
//    status LOCKED); an ADMIN's lock (locked_until NULL) lasts until an ADMIN lifts it;
//  * a session is a random token whose SHA-256 alone is stored; it ends at its expiry, after an
//    idle period, at logout, at a password change and when an ADMIN revokes it;
//  * an expired password or must_change_password confines the session to changing it.
import { timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { UserRole } from '../../common/enums.ts';
import { passwordProblems } from '../../common/password-policy.ts';
import type { Database } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/repositories.ts';
import type { UserSession } from '../db/repositories/sessions-repository.ts';
import type { User } from '../db/repositories/users-repository.ts';
import type { Clock } from '../gateway/clock.ts';
import { OperationRefusedError } from '../gateway/operation-refused-error.ts';
import { DEFAULT_SCRYPT_COST, hashPassword, needsRehash, verifyPassword, type ScryptCost } from './password-hashing.ts';
import { hashSessionToken, newSessionToken } from './session-tokens.ts';

export interface AuthSettings {
  /** a session ends this long after sign-in, however active */
  sessionTtlMs: number;
  /** a session ends after this long without a call */
  idleTimeoutMs: number;
  maxFailedAttempts: number;
  lockoutMs: number;
  /** a new password expires after this long; null: passwords do not expire */
  passwordMaxAgeMs: number | null;
  hashCost: ScryptCost;
  /** how long a checked session is trusted from memory before the database is asked again */
  sessionRecheckMs: number;
  /** how often the last_activity of a busy session is written */
  activityWriteMs: number;
}

const MINUTE = 60_000;
export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  sessionTtlMs: 12 * 60 * MINUTE,
  idleTimeoutMs: 30 * MINUTE,
  maxFailedAttempts: 5,
  lockoutMs: 15 * MINUTE,
  // NIST SP 800-63B: no periodic expiry; an ADMIN can still set password_expires_at per user.
  passwordMaxAgeMs: null,
  hashCost: DEFAULT_SCRYPT_COST,
  sessionRecheckMs: 5_000,
  activityWriteMs: MINUTE,
};

/** What a session knows about its user; never the password hash. */
export interface SessionUser {
  id: string;
  username: string;
  fullName: string | null;
  role: UserRole;
  /** must_change_password, or the password has expired: only a password change is allowed */
  mustChangePassword: boolean;
}

export interface AuthenticatedSession {
  sessionId: string;
  user: SessionUser;
  createdAt: Date;
  expiresAt: Date;
}

export interface SignedIn {
  /** handed to the client once; only its hash is stored */
  token: string;
  session: AuthenticatedSession;
}

export interface ClientInfo {
  ipAddress: string | null;
  userAgent: string | null;
}

export type SessionCheck =
  { ok: true; session: AuthenticatedSession } | { ok: false; reason: 'unknown' | 'revoked' | 'expired' | 'idle' };

/** Why a login failed, for the audit trail only: the client always reads LOGIN_REFUSED_MESSAGE. */
export type LoginRefusal = 'unknown-user' | 'wrong-password' | 'locked' | 'disabled';

export const LOGIN_REFUSED_MESSAGE =
  'The username or password is wrong. After 5 failed attempts an account is locked for 15 minutes.';

export class LoginRefusedError extends Error {
  override readonly name = 'LoginRefusedError';
  constructor(
    readonly reason: LoginRefusal,
    readonly userId: string | null,
  ) {
    super(LOGIN_REFUSED_MESSAGE);
  }
}

interface CachedSession {
  row: UserSession;
  user: User;
  loadedAt: number;
  lastWrittenActivity: number;
}

/** A lock set by too many wrong passwords ends by itself; an ADMIN's lock has no end. */
const isAutoLocked = (user: User): boolean => user.status === 'LOCKED' && user.lockedUntil !== null;

export class AuthService {
  readonly settings: AuthSettings;
  private readonly repos: Repositories;
  private readonly cache = new Map<string, CachedSession>();
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    settings: Partial<AuthSettings> = {},
    /**
     * Asked of remote callers who create the first ADMIN, so that whoever reaches a fresh
     * gateway first over the network cannot take it. The headless server prints it.
     */
    readonly firstAdminSetupCode: string = newSessionToken().slice(0, 12),
  ) {
    this.settings = { ...DEFAULT_AUTH_SETTINGS, ...settings };
    this.repos = repositories(db);
  }

  async needsFirstAdmin(): Promise<boolean> {
    return (await this.repos.users.count()) === 0;
  }

  /** Refuses a password that breaks the policy, naming `field`. */
  checkPasswordPolicy(password: string, username: string, field: string): void {
    const problems = passwordProblems(password, username);
    if (problems.length > 0) {
      throw new OperationRefusedError('invalid', `The password ${problems.join(', and ')}.`, { field });
    }
  }

  hashPassword(password: string): Promise<string> {
    return hashPassword(password, this.settings.hashCost);
  }

  /** password_expires_at for a password set now */
  passwordExpiry(): Date | null {
    const maxAge = this.settings.passwordMaxAgeMs;
    return maxAge === null ? null : new Date(this.clock.now().getTime() + maxAge);
  }

  /** Creates the first ADMIN and signs them in; refused once any account exists. */
  async createFirstAdmin(
    input: { username: string; password: string; fullName?: string | null },
    client: ClientInfo & { isLocal: boolean; setupCode?: string | undefined },
  ): Promise<SignedIn> {
    if (!client.isLocal && !this.isSetupCode(client.setupCode)) {
      throw new OperationRefusedError(
        'forbidden',
        'Creating the first administrator from another computer needs the setup code that the gateway printed when it started.',
        { field: 'setupCode', reason: 'SETUP_CODE_REQUIRED' },
      );
    }
    this.checkPasswordPolicy(input.password, input.username, 'password');
    const passwordHash = await this.hashPassword(input.password);
    const user = await this.db.transaction(async (tx) => {
      // Two first starts at once: the table lock makes the second one see the first's account.
      await tx.execute(sql`LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE`);
      const txRepos = repositories(tx);
      if ((await txRepos.users.count()) > 0) {
        throw new OperationRefusedError('conflict', 'The gateway already has an administrator: sign in instead.', {
          reason: 'ALREADY_SET_UP',
        });
      }
      return txRepos.users.create({
        username: input.username,
        fullName: input.fullName ?? null,
        passwordHash,
        role: 'ADMIN',
        status: 'ACTIVE',
        passwordExpiresAt: this.passwordExpiry(),
        lastLogin: this.clock.now(),
      });
    });
    return this.openSession(user, client);
  }

  private isSetupCode(candidate: string | undefined): boolean {
    if (!candidate) return false;
    const expected = Buffer.from(this.firstAdminSetupCode);
    const given = Buffer.from(candidate.trim());
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  async login(username: string, password: string, client: ClientInfo): Promise<SignedIn> {
    const now = this.clock.now();
    let user = await this.repos.users.getByUsername(username);
    if (!user) {
      // The same scrypt work as for a real account, so that timing does not tell.
      await verifyPassword(password, await this.getDummyHash());
      throw new LoginRefusedError('unknown-user', null);
    }
    if (isAutoLocked(user) && (user.lockedUntil as Date) <= now) {
      user = await this.repos.users.update(user.id, { status: 'ACTIVE', failedLoginAttempts: 0, lockedUntil: null });
    }
    const passwordMatches = await verifyPassword(password, user.passwordHash);
    if (user.status === 'LOCKED') throw new LoginRefusedError('locked', user.id);
    if (user.status !== 'ACTIVE') throw new LoginRefusedError('disabled', user.id);
    if (!passwordMatches) {
      const lockedUntil = new Date(now.getTime() + this.settings.lockoutMs);
      const after = await this.repos.users.recordFailedLogin(user.id, this.settings.maxFailedAttempts, lockedUntil);
      this.forgetUser(user.id);
      throw new LoginRefusedError(after.status === 'LOCKED' ? 'locked' : 'wrong-password', user.id);
    }
    const rehash = needsRehash(user.passwordHash, this.settings.hashCost);
    const signedInUser = await this.repos.users.update(user.id, {
      lastLogin: now,
      failedLoginAttempts: 0,
      ...(rehash ? { passwordHash: await this.hashPassword(password) } : {}),
    });
    return this.openSession(signedInUser, client);
  }

  /** Checks a session token; cheap for a busy session (memory), exact after sessionRecheckMs. */
  async authenticate(token: string): Promise<SessionCheck> {
    const tokenHash = hashSessionToken(token);
    const now = this.clock.now();
    const nowMs = now.getTime();
    let entry = this.cache.get(tokenHash);
    if (!entry || nowMs - entry.loadedAt > this.settings.sessionRecheckMs) {
      const row = await this.repos.sessions.findByTokenHash(tokenHash);
      const user = row ? await this.repos.users.get(row.userId) : undefined;
      if (!row || !user) {
        this.cache.delete(tokenHash);
        return { ok: false, reason: 'unknown' };
      }
      // Activity seen in memory but not yet written must not be lost on a reload.
      const lastActivity = Math.max(row.lastActivity.getTime(), entry?.row.lastActivity.getTime() ?? 0);
      entry = {
        row: { ...row, lastActivity: new Date(lastActivity) },
        user,
        loadedAt: nowMs,
        lastWrittenActivity: row.lastActivity.getTime(),
      };
      this.cache.set(tokenHash, entry);
    }
    const refusal = this.refusal(entry, now);
    if (refusal) {
      this.cache.delete(tokenHash);
      if (refusal === 'idle' || refusal === 'expired') await this.repos.sessions.revoke(entry.row.id);
      return { ok: false, reason: refusal };
    }
    entry.row.lastActivity = now;
    if (nowMs - entry.lastWrittenActivity >= this.settings.activityWriteMs) {
      entry.lastWrittenActivity = nowMs;
      await this.repos.sessions.touch(entry.row.id, now);
    }
    return { ok: true, session: this.describe(entry.row, entry.user, now) };
  }

  private refusal(entry: CachedSession, now: Date): 'revoked' | 'expired' | 'idle' | undefined {
    const { row, user } = entry;
    if (!row.isActive) return 'revoked';
    if (user.status === 'INACTIVE' || user.status === 'EXPIRED') return 'revoked';
    if (user.status === 'LOCKED' && user.lockedUntil === null) return 'revoked';
    if (row.expiresAt <= now) return 'expired';
    if (now.getTime() - row.lastActivity.getTime() > this.settings.idleTimeoutMs) return 'idle';
    return undefined;
  }

  async logout(sessionId: string): Promise<void> {
    await this.repos.sessions.revoke(sessionId);
    this.forgetSession(sessionId);
  }

  /**
   * Changes one's own password. Every session of the user ends, this one included, and a new
   * session replaces it: a thief who had the old password or an old token is out.
   */
  async changePassword(
    session: AuthenticatedSession,
    currentPassword: string,
    newPassword: string,
    client: ClientInfo,
  ): Promise<SignedIn> {
    const user = await this.repos.users.get(session.user.id);
    if (!user) throw new OperationRefusedError('unauthenticated', 'Your account no longer exists.');
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      // Guessing the current password from a stolen session counts towards the lockout.
      const lockedUntil = new Date(this.clock.now().getTime() + this.settings.lockoutMs);
      const after = await this.repos.users.recordFailedLogin(user.id, this.settings.maxFailedAttempts, lockedUntil);
      if (after.status === 'LOCKED') await this.revokeUserSessions(user.id);
      throw new OperationRefusedError('invalid', 'The current password is wrong.', { field: 'currentPassword' });
    }
    if (newPassword === currentPassword) {
      throw new OperationRefusedError('invalid', 'The new password must differ from the current one.', {
        field: 'newPassword',
      });
    }
    this.checkPasswordPolicy(newPassword, user.username, 'newPassword');
    const updated = await this.repos.users.update(user.id, {
      passwordHash: await this.hashPassword(newPassword),
      mustChangePassword: false,
      passwordExpiresAt: this.passwordExpiry(),
      failedLoginAttempts: 0,
    });
    await this.revokeUserSessions(user.id);
    return this.openSession(updated, client);
  }

  /** Ends every session of a user (password change or reset, lock, an ADMIN's revocation). */
  async revokeUserSessions(userId: string): Promise<number> {
    const count = await this.repos.sessions.revokeAllForUser(userId);
    this.forgetUser(userId);
    return count;
  }

  async revokeSession(sessionId: string): Promise<void> {
    await this.repos.sessions.revoke(sessionId);
    this.forgetSession(sessionId);
  }

  /** Deletes sessions that ended more than `keepMs` ago (the audit trail keeps the sign-ins). */
  purgeEndedSessions(keepMs = 7 * 24 * 60 * MINUTE): Promise<number> {
    return this.repos.sessions.purge(new Date(this.clock.now().getTime() - keepMs));
  }

  /** Drops what memory holds about a user's sessions (their role or status changed). */
  forgetUser(userId: string): void {
    for (const [hash, entry] of this.cache) if (entry.user.id === userId) this.cache.delete(hash);
  }

  private forgetSession(sessionId: string): void {
    for (const [hash, entry] of this.cache) if (entry.row.id === sessionId) this.cache.delete(hash);
  }

  private async openSession(user: User, client: ClientInfo): Promise<SignedIn> {
    const now = this.clock.now();
    const token = newSessionToken();
    const tokenHash = hashSessionToken(token);
    const row = await this.repos.sessions.create({
      userId: user.id,
      tokenHash,
      ipAddress: client.ipAddress,
      userAgent: client.userAgent?.slice(0, 1000) ?? null,
      createdAt: now,
      lastActivity: now,
      expiresAt: new Date(now.getTime() + this.settings.sessionTtlMs),
    });
    this.cache.set(tokenHash, { row, user, loadedAt: now.getTime(), lastWrittenActivity: now.getTime() });
    return { token, session: this.describe(row, user, now) };
  }

  private describe(row: UserSession, user: User, now: Date): AuthenticatedSession {
    const passwordExpired = user.passwordExpiresAt !== null && user.passwordExpiresAt <= now;
    return {
      sessionId: row.id,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
      user: {
        id: user.id,
        username: user.username,
        fullName: user.fullName,
        role: user.role,
        mustChangePassword: user.mustChangePassword || passwordExpired,
      },
    };
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= hashPassword('no such account', this.settings.hashCost);
    return this.dummyHash;
  }
}
