// What the API's procedures reach: the `services` of the tRPC context. The composition root
// (createGateway) builds them once; tests build a gateway the same way (test/api-harness.ts).
//
// Adding a subsystem to the API: give it a field in GatewayRuntime (or AccountServices when it
// needs only the database), fill it in createGateway, and write its procedures in the area's
// router with `procedure('<access>')` from trpc.ts. Role checks, auditing and error mapping
// then apply without further work.
import type { AlertEngine } from '../alerts/alert-engine.ts';
import { AuditTrail } from '../audit/audit-trail.ts';
import { AuthService, type AuthSettings } from '../auth/auth-service.ts';
import { LoginRateLimiter, type RateLimit } from '../auth/login-rate-limiter.ts';
import { UserAdministration } from '../auth/user-administration.ts';
import type { FrameBus } from '../bus/frame-bus.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/repositories.ts';
import type { DriverManager } from '../drivers/driver-manager.ts';
import type { ModbusCommissioning } from '../drivers/modbus/modbus-commissioning.ts';
import { systemClock, type Clock } from '../gateway/clock.ts';
import type { LastValueCache } from '../live/last-value-cache.ts';
import type { EventLoopMonitor } from '../metrics/event-loop-monitor.ts';
import type { TagWriter } from '../tags/tag-writer.ts';
import type { FrameWal } from '../wal/frame-wal.ts';
import type { Historian } from '../historian/historian.ts';
import { OpcUaCommissioning } from '../drivers/opcua/opcua-commissioning.ts';
import { OpcUaPki } from '../drivers/opcua/opcua-pki.ts';
import { PluginRegistration } from '../drivers/plugins/plugin-registration.ts';
import os from 'node:os';
import path from 'node:path';

/** The database, accounts and audit: all that a stopped gateway's `user` command needs too. */
export interface AccountServices {
  database: DatabaseHandle;
  repos: Repositories;
  clock: Clock;
  /** when this gateway started (system.health's uptime) */
  startedAt: Date;
  auth: AuthService;
  users: UserAdministration;
  audit: AuditTrail;
  loginLimiter: LoginRateLimiter;
  /** history and trends (the gateway's; absent in API tests that need none) */
  historian?: Historian;
  /** the alert engine, once the gateway started it (alerts.active, acknowledge, shelve) */
  alerts?: AlertEngine;
  /** OPC UA: the PKI (certificates) and the commissioning tools (endpoints, browse, read) */
  opcua: { pki: OpcUaPki; commissioning: OpcUaCommissioning };
  /** the plugin driver's registration (driver_registry, protocol Custom) */
  plugins: PluginRegistration;
}

/** The running gateway's parts behind live values, tag writes, drivers, commissioning and metrics. */
export interface GatewayRuntime {
  /** Every value, command and event moves through the bus (README: "Using the frame bus"). */
  bus: FrameBus;
  /** The write-ahead log behind the bus: durable consumers, retention, metrics. */
  wal: FrameWal;
  /** The field drivers, publishing into the bus; CommandFrames on the bus reach them. */
  drivers: DriverManager;
  /** One-off Modbus reads and writes and their traffic log, on the drivers' lines. */
  commissioning: ModbusCommissioning;
  /** The latest value of every tag, for the snapshot that opens a live view. */
  lastValues: LastValueCache;
  /** Tag writes as CommandFrames, waiting for their acknowledgement. */
  tagWriter: TagWriter;
  /** The main process's event-loop lag and load, for system.metrics. */
  eventLoop: EventLoopMonitor;
}

export interface ApiServices extends AccountServices, GatewayRuntime {}

export interface ApiServicesOptions {
  clock?: Clock;
  auth?: Partial<AuthSettings>;
  loginRateLimit?: RateLimit;
  /** the OPC UA PKI folder (the data folder's pki/); a per-process temp folder when absent (tests) */
  pkiDir?: string;
  /** where registered plugin files are kept (the data folder's plugins/); a temp folder when absent */
  pluginsDir?: string;
}

export function createAccountServices(database: DatabaseHandle, options: ApiServicesOptions = {}): AccountServices {
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
