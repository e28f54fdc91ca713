// npm run bench:db — the relational store on embedded PGlite (the default), against the seed's
// performance line (< 100 ms queries, 1,000+ TPS):
//  * device_overview over 500 devices × 20 tags with active alerts, beside the seed's original
//    single-GROUP-BY form of the view (the baseline, which also gives wrong counts);
//  * single-row audit inserts per second (each its own transaction), as a login or a tag write does.
import { sql } from 'drizzle-orm';
import { openDatabase } from '../main/db/database.ts';
import { repositories } from '../main/db/repositories/repositories.ts';
import { median, printBenchResult, round } from './bench-report.ts';

const DEVICES = 500;
const TAGS_PER_DEVICE = 20;
const QUERY_RUNS = 15;
const INSERTS = 3000;

const SEED_DEVICE_OVERVIEW = sql`
  SELECT d.id, d.name, d.description, d.protocol, d.location, d.status, d.last_seen, d.enabled,
         COUNT(t.id) AS tag_count,
         COUNT(CASE WHEN t.enabled THEN 1 END) AS enabled_tag_count,
         COUNT(ah.id) AS active_alert_count
  FROM devices d
  LEFT JOIN tags t ON d.id = t.device_id
  LEFT JOIN alert_history ah ON d.id = ah.device_id AND ah.status = 'ACTIVE'
  GROUP BY d.id, d.name, d.description, d.protocol, d.location, d.status, d.last_seen, d.enabled`;

async function timeMs(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

const handle = await openDatabase({});
const repos = repositories(handle.db);
await handle.db.transaction(async (tx) => {
  const r = repositories(tx);
  const rule = await r.alertRules.create({
    name: 'bench',
    conditionExpression: 'value > 1',
    op: 'GT',
    thresholdValue: 1,
    level: 'WARNING',
  });
  for (let d = 0; d < DEVICES; d++) {
    const device = await r.devices.create({
      name: `PLC-${d}`,
      protocol: 'ModbusTcp',
      endpoint: `10.0.${d >> 8}.${d & 255}:502`,
    });
    await r.tags.createMany(
      Array.from({ length: TAGS_PER_DEVICE }, (_, t) => ({
        deviceId: device.id,
        name: `T${t}`,
        address: `4${String(t + 1).padStart(4, '0')}`,
        dataType: 'Float' as const,
      })),
    );
    for (let a = 0; a < d % 4; a++) {
      await r.alertHistory.create({ ruleId: rule.id, deviceId: device.id, level: 'WARNING', message: 'bench' });
    }
  }
});

const overviewMs: number[] = [];
const seedMs: number[] = [];
for (let i = 0; i < QUERY_RUNS; i++) {
  overviewMs.push(await timeMs(() => repos.devices.overview()));
  seedMs.push(await timeMs(() => handle.db.execute(SEED_DEVICE_OVERVIEW)));
}

const user = await repos.users.create({ username: 'bench', passwordHash: 'x' });
const insertStart = performance.now();
for (let i = 0; i < INSERTS; i++) {
  await repos.auditLogs.append({ userId: user.id, action: 'tag.write', success: true, details: { i } });
}
const insertsPerSecond = INSERTS / ((performance.now() - insertStart) / 1000);
await handle.close();

printBenchResult('db', {
  device_overview_ms: {
    value: round(median(overviewMs)),
    unit: 'ms',
    target: '<=100',
    baseline: round(median(seedMs)),
  },
  audit_inserts_per_s: { value: Math.round(insertsPerSecond), unit: 'rows/s', target: '>=1000', baseline: null },
});
