// What the API's procedures reach: the `services` of the tRPC context. The composition root
// (createGateway) builds them once; tests build them over a test database the same way.
//
// Adding a subsystem to the API: give it a field here (e.g. `bus: FrameBus`, `drivers:
// DriverManager`), fill it in createApiServices or createGateway, and write its procedures in
// the area's router with `procedure('<access>')` from trpc.ts. Role checks, auditing and error
// mapping then apply without further work.
import { AuditTrail } from '../audit/audit-trail.ts';
import { AuthService, type AuthSettings } from '../auth/auth-service.ts';
import { LoginRateLimiter, type RateLimit } from '../auth/login-rate-limiter.ts';
import { UserAdministration } from '../auth/user-administration.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/repositories.ts';
import { systemClock, type Clock } from '../gateway/clock.ts';
import { OpcUaCommissioning } from '../drivers/opcua/opcua-commissioning.ts';
import { OpcUaPki } from '../drivers/opcua/opcua-pki.ts';
import { PluginRegistration } from '../drivers/plugins/plugin-registration.ts';
import os from 'node:os';
import path from 'node:path';

export interface ApiServices {
  database: DatabaseHandle;
  repos: Repositories;
  clock: Clock;
  /** when this gateway started (system.health's uptime) */
  startedAt: Date;
  auth: AuthService;
  users: UserAdministration;
  audit: AuditTrail;
  loginLimiter: LoginRateLimiter;
  /** OPC UA: the PKI (certificates) and the commissioning tools (endpoints, browse, read) */
  opcua: { pki: OpcUaPki; commissioning: OpcUaCommissioning };
  /** the plugin driver's registration (driver_registry, protocol Custom) */
  plugins: PluginRegistration;
}

export interface ApiServicesOptions {
  clock?: Clock;
  auth?: Partial<AuthSettings>;
  loginRateLimit?: RateLimit;
  /** the OPC UA PKI folder (the data folder's pki/); a per-process temp folder when absent (tests) */
  pkiDir?: string;
  /** where registered plugin files are kept (the data folder's plugins/); a temp folder when absent */
  pluginsDir?: string;
}

export function createApiServices(database: DatabaseHandle, options: ApiServicesOptions = {}): ApiServices {
  const clock = options.clock ?? systemClock;
  const repos = repositories(database.db);
  const auth = new AuthService(database.db, clock, options.auth);
  const pki = new OpcUaPki(options.pkiDir ?? path.join(os.tmpdir(), `gateway-opcua-pki-${process.pid}`));
  return {
    database,
    repos,
    clock,
    startedAt: clock.now(),
    auth,
    users: new UserAdministration(database.db, auth, clock),
    audit: new AuditTrail(repos.auditLogs),
    loginLimiter: new LoginRateLimiter(clock, options.loginRateLimit),
    opcua: { pki, commissioning: new OpcUaCommissioning(pki) },
    plugins: new PluginRegistration(
      repos,
      options.pluginsDir ?? path.join(os.tmpdir(), `gateway-plugins-${process.pid}`),
    ),
  };
}
