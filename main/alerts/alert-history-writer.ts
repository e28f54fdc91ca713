// Writes the alert engine's changes to the relational store in the order they happened, off the
// evaluation path: an alert's Event frame goes out at once, its row follows within
// milliseconds. When the database is away the writes wait in order and are retried with backoff
// (0.1 s up to 5 s), so no alert change is lost while the gateway runs.
import { ConstraintViolationError } from '../db/database-errors.ts';

export type HistoryWrite = () => Promise<void>;

export interface HistoryWriterOptions {
  /** told once per outage and once per refused write */
  onProblem?: (message: string) => void;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export class AlertHistoryWriter {
  private readonly queue: { write: HistoryWrite; what: string }[] = [];
  private running: Promise<void> | undefined;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  private failing = false;
  written = 0;
  refused = 0;

  constructor(private readonly options: HistoryWriterOptions = {}) {}

  get backlog(): number {
    return this.queue.length;
  }

  /** Queues a write; `what` names it in problem reports ("alert 1f… fired"). */
  enqueue(what: string, write: HistoryWrite): void {
    this.queue.push({ write, what });
    this.running ??= this.run().finally(() => {
      this.running = undefined;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    });
  }

  /** Resolves once every queued write is done. */
  flush(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops retrying after `timeoutMs`; writes still queued then are reported. */
  async close(timeoutMs = 5_000): Promise<void> {
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, timeoutMs, 'timeout').unref());
    const result = await Promise.race([this.flush(), timeout]);
    this.closed = true;
    if (result === 'timeout' && this.queue.length > 0) {
      this.options.onProblem?.(
        `${this.queue.length} alert history changes could not be written before the gateway stopped.`,
      );
    }
  }

  private async run(): Promise<void> {
    let backoff = this.options.minBackoffMs ?? 100;
    while (this.queue.length > 0 && !this.closed) {
      const next = this.queue[0] as { write: HistoryWrite; what: string };
      try {
        await next.write();
        this.queue.shift();
        this.written++;
        backoff = this.options.minBackoffMs ?? 100;
        if (this.failing) {
          this.failing = false;
          this.options.onProblem?.('The database is back: alert history is being written again.');
        }
      } catch (error) {
        if (error instanceof ConstraintViolationError) {
          // A write the schema refuses will never succeed: report it and go on.
          this.queue.shift();
          this.refused++;
          this.options.onProblem?.(`Alert history: ${next.what} was refused: ${error.message}`);
          continue;
        }
        if (!this.failing) {
          this.failing = true;
          this.options.onProblem?.(
            `Alert history cannot be written (${(error as Error).message}); ${this.queue.length} changes wait and are retried.`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, backoff));
        backoff = Math.min(backoff * 2, this.options.maxBackoffMs ?? 5_000);
      }
    }
  }
}
