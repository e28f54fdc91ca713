// Child process of the WAL crash test: publishes frames as fast as it can through the bus into a
// WAL with sync group commit, and prints "ack <sequence>" once a frame is acknowledged (durable).
// stdout is a pipe, which Node writes synchronously on Linux: an ack printed is an ack the parent
// sees, even if the process is killed right after.
import { FrameBus } from '../main/bus/frame-bus.ts';
import { openFrameWal } from '../main/wal/frame-wal.ts';
import { openRocksDbStorage } from '../main/wal/rocksdb-storage.ts';
import { dataBody } from './frame-fixtures.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: wal-crash-writer <dir>');
const wal = await openFrameWal({
  storage: await openRocksDbStorage(dir),
  durability: 'sync',
  retention: { intervalMs: 0 },
});
const bus = new FrameBus({ wal, walHighWaterMark: 20_000 });
process.stdout.write(`start ${wal.lastSequenceId}\n`);

for (;;) {
  const burst = 1 + Math.floor(Math.random() * 400);
  let last = 0;
  for (let i = 0; i < burst; i++) {
    // the value is derived from the sequence id, so the parent can check content, not just presence
    last = bus.publish(dataBody(`tag-${i % 13}`, wal.lastSequenceId + 1)).sequenceId;
  }
  void bus.whenDurable(last).then(() => process.stdout.write(`ack ${last}\n`));
  await bus.drain();
  await new Promise((resolve) => setImmediate(resolve));
}
