// Writes and reads the audit trail (the seed's audit_logs): who did what, to what, when, from
// where, and whether it worked. The actor's username is kept in `details` because user_id is
// set to NULL when the account is deleted (see drizzle/schema/users.ts): the trail must still
// say who it was.
import { z } from 'zod';
import type { AuditLogEntry, AuditLogFilter, AuditLogsRepository } from '../db/repositories/audit-logs-repository.ts';

export interface AuditActor {
  userId: string | null;
  username: string;
}

export interface AuditEvent {
  /** null: nobody signed in (a failed login, a first start) */
  actor: AuditActor | null;
  /** what was done, e.g. "devices.create", "auth.login" */
  action: string;
  resourceType?: string | null;
  /** the record acted on; a value that is not a UUID goes to details.resource instead */
  resourceId?: string | null;
  details?: Record<string, unknown>;
  success: boolean;
  errorMessage?: string | null;
  ipAddress?: string | null;
  userAgent?: string | null;
}

const uuid = z.uuid();

export class AuditTrail {
  constructor(private readonly repo: AuditLogsRepository) {}

  async record(event: AuditEvent): Promise<void> {
    const resourceIsUuid = event.resourceId ? uuid.safeParse(event.resourceId).success : false;
    await this.repo.append({
      userId: event.actor?.userId ?? null,
      action: event.action.slice(0, 100),
      resourceType: event.resourceType?.slice(0, 100) ?? null,
      resourceId: resourceIsUuid ? event.resourceId : null,
      details: {
        ...event.details,
        username: event.actor?.username ?? null,
        ...(event.resourceId && !resourceIsUuid ? { resource: event.resourceId } : {}),
      },
      ipAddress: event.ipAddress ?? null,
      userAgent: event.userAgent?.slice(0, 1000) ?? null,
      success: event.success,
      errorMessage: event.errorMessage ?? null,
      // created_at is the database's NOW(): microseconds, so rows keep their order.
    });
  }

  query(filter: AuditLogFilter): Promise<AuditLogEntry[]> {
    return this.repo.query(filter);
  }
}
