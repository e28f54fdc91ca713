// All repositories over one database handle or transaction: `repositories(tx)` inside
// db.transaction() gives the same API with all-or-nothing semantics (imports use this).
import type { Database } from '../database.ts';
import { AlertHistoryRepository } from './alert-history-repository.ts';
import { AlertRulesRepository } from './alert-rules-repository.ts';
import { AuditLogsRepository } from './audit-logs-repository.ts';
import { DevicesRepository } from './devices-repository.ts';
import { DriverConfigsRepository } from './driver-configs-repository.ts';
import { DriverRegistryRepository } from './driver-registry-repository.ts';
import { SessionsRepository } from './sessions-repository.ts';
import { TagsRepository } from './tags-repository.ts';
import { TrendSetsRepository } from './trend-sets-repository.ts';
import { UsersRepository } from './users-repository.ts';

export interface Repositories {
  devices: DevicesRepository;
  tags: TagsRepository;
  alertRules: AlertRulesRepository;
  alertHistory: AlertHistoryRepository;
  driverRegistry: DriverRegistryRepository;
  driverConfigs: DriverConfigsRepository;
  users: UsersRepository;
  sessions: SessionsRepository;
  auditLogs: AuditLogsRepository;
  trendSets: TrendSetsRepository;
}

export function repositories(db: Database): Repositories {
  return {
    devices: new DevicesRepository(db),
    tags: new TagsRepository(db),
    alertRules: new AlertRulesRepository(db),
    alertHistory: new AlertHistoryRepository(db),
    driverRegistry: new DriverRegistryRepository(db),
    driverConfigs: new DriverConfigsRepository(db),
    users: new UsersRepository(db),
    sessions: new SessionsRepository(db),
    auditLogs: new AuditLogsRepository(db),
    trendSets: new TrendSetsRepository(db),
  };
}
