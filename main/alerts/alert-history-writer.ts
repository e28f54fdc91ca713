// Writes the alert engine's changes to the relational store in the order they happened, off the
// evaluation path: an alert's Event frame goes out at once, its row follows within
// milliseconds. What is queued is written together in one transaction (one commit instead of
// one per change: an alert storm costs a fraction of the CPU). When the database is away the
// writes wait in order and are retried with backoff (0.1 s up to 5 s), so no alert change is
// lost while the gateway runs.
import type { Database } from '../db/database.ts';
import { ConstraintViolationError, isDatabaseUnavailable } from '../db/database-errors.ts';
import { AlertEngineRepository } from '../db/repositories/alert-engine-repository.ts';

export type HistoryWrite = (repo: AlertEngineRepository) => Promise<void>;

export interface HistoryWriterOptions {
  /** told once per outage and once per refused write */
  onProblem?: (message: string) => void;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** the most changes written in one transaction (default 500) */
  maxBatch?: number;
}

interface QueuedWrite {
  write: HistoryWrite;
  what: string;
  /** the WAL sequence id of the alert EventFrame this write records, if any */
  sequenceId: number;
}

export class AlertHistoryWriter {
  private readonly queue: QueuedWrite[] = [];
  private running: Promise<void> | undefined;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  private failing = false;
  /** Every write of an EventFrame up to this sequence id is committed (or was refused). */
  private committedThrough = 0;
  private committedWaiters: { sequenceId: number; resolve: () => void }[] = [];
  written = 0;
  refused = 0;

  constructor(
    private readonly db: Database,
    private readonly options: HistoryWriterOptions = {},
  ) {}

  get backlog(): number {
    return this.queue.length;
  }

  /** The WAL sequence id of the oldest EventFrame whose write is not committed yet, if any. */
  get oldestPendingSequenceId(): number | undefined {
    for (const { sequenceId } of this.queue) if (sequenceId > 0) return sequenceId;
    return undefined;
  }

  /**
   * Queues a write; `what` names it in problem reports ("alert 1f… fired"). Nothing of the write
   * happens before the caller's task is over: an idle writer starts on the next turn of the event
   * loop (setImmediate), so that building the SQL (drizzle: ~1 ms of CPU for an insert) never
   * sits between a value frame and its alert Event, whose subscribers are served from microtasks
   * of the same task.
   */
  enqueue(what: string, write: HistoryWrite, sequenceId = 0): void {
    this.queue.push({ write, what, sequenceId });
    this.running ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.run())
      .finally(() => {
        this.running = undefined;
        for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
  }

  /**
   * Resolves once the write of the EventFrame `sequenceId` (and every write queued before it) is
   * committed: the alert engine's WAL checkpoint moves past a transition only then.
   */
  whenCommitted(sequenceId: number): Promise<void> {
    if (sequenceId <= this.committedThrough) return Promise.resolve();
    return new Promise((resolve) => this.committedWaiters.push({ sequenceId, resolve }));
  }

  private done(writes: readonly QueuedWrite[]): void {
    for (const { sequenceId } of writes) this.committedThrough = Math.max(this.committedThrough, sequenceId);
    if (this.committedWaiters.length === 0) return;
    this.committedWaiters = this.committedWaiters.filter((waiter) => {
      if (waiter.sequenceId > this.committedThrough) return true;
      waiter.resolve();
      return false;
    });
  }

  /** Resolves once every queued write is done. */
  flush(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops retrying after `timeoutMs`; writes still queued then are reported. */
  async close(timeoutMs = 5_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(resolve, timeoutMs, 'timeout');
    });
    const result = await Promise.race([this.flush(), timeout]);
    clearTimeout(timer);
    this.closed = true;
    if (result === 'timeout' && this.queue.length > 0) {
      this.options.onProblem?.(
        `${this.queue.length} alert history changes could not be written before the gateway stopped.`,
      );
    }
  }

  private async run(): Promise<void> {
    const minBackoff = this.options.minBackoffMs ?? 100;
    let backoff = minBackoff;
    // After a failed batch, changes are written one by one until that one is through, so a
    // single refused change is found and skipped instead of holding back the others.
    let oneByOne = false;
    while (this.queue.length > 0 && !this.closed) {
      const batch = this.queue.slice(0, oneByOne ? 1 : (this.options.maxBatch ?? 500));
      try {
        if (batch.length === 1) await (batch[0] as QueuedWrite).write(new AlertEngineRepository(this.db));
        else {
          await this.db.transaction(async (tx) => {
            const repo = new AlertEngineRepository(tx as unknown as Database);
            for (const { write } of batch) await write(repo);
          });
        }
        this.done(this.queue.splice(0, batch.length));
        this.written += batch.length;
        backoff = minBackoff;
        oneByOne = false;
        if (this.failing) {
          this.failing = false;
          this.options.onProblem?.('The database is back: alert history is being written again.');
        }
      } catch (error) {
        if (batch.length > 1) {
          oneByOne = true;
          continue;
        }
        const [only] = batch as [QueuedWrite];
        if (error instanceof ConstraintViolationError) {
          // A write the schema refuses will never succeed: report it and go on.
          this.done([this.queue.shift()!]);
          this.refused++;
          this.options.onProblem?.(`Alert history: ${only.what} was refused: ${error.message}`);
          continue;
        }
        if (!this.failing) {
          this.failing = true;
          const reason = isDatabaseUnavailable(error)
            ? 'the database cannot be reached'
            : ((error as { cause?: Error }).cause?.message ?? (error as Error).message);
          const waiting = this.queue.length === 1 ? '1 change waits' : `${this.queue.length} changes wait`;
          this.options.onProblem?.(`Alert history cannot be written (${reason}); ${waiting} and will be retried.`);
        }
        await new Promise((resolve) => setTimeout(resolve, backoff));
        backoff = Math.min(backoff * 2, this.options.maxBackoffMs ?? 5_000);
      }
    }
  }
}
