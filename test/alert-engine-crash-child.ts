// Child process of the alert history crash test: a gateway's alert engine over its own WAL and
// the test's PostgreSQL database. It sends one value that fires the rule and prints
// "fired <alert id> <sequence id>" once that alert's EventFrame is durable in the WAL; then it
// waits to be killed (its alert_history insert is held back by the test's lock).
import { AlertEngine } from '../main/alerts/alert-engine.ts';
import { FrameBus } from '../main/bus/frame-bus.ts';
import { openDatabase } from '../main/db/database.ts';
import { dataBody, openTestWal } from './frame-fixtures.ts';

const [walDir, url, deviceId, tagId] = process.argv.slice(2);
if (!walDir || !url || !deviceId || !tagId)
  throw new Error('usage: alert-engine-crash-child <wal> <url> <device> <tag>');
const database = await openDatabase({ url, poolSize: 2, migrate: false });
const wal = await openTestWal(walDir, { durability: 'sync' });
const bus = new FrameBus({ wal });
const engine = new AlertEngine({ db: database.db, bus, wal, tickMs: 3_600_000, communicationDelayMs: null });
await engine.start();
bus.subscribe({ name: 'crash-test', types: ['event'] }, (frame) => {
  if (frame.type !== 'event' || frame.payload.detail?.$case !== 'alert') return;
  const { alertId, status } = frame.payload.detail.value;
  if (status !== 'ACTIVE') return;
  void bus.whenDurable(frame.sequenceId).then(() => process.stdout.write(`fired ${alertId} ${frame.sequenceId}\n`));
});
bus.publish(dataBody(tagId, 95, deviceId));
