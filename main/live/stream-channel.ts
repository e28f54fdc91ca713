// From pushes to a pull: a bus subscription's handler pushes, a tRPC subscription's generator
// iterates. push() resolves once the item has been taken, and a coalesced bus subscription waits
// for that before its next delivery, so a client that falls behind gets fewer, fuller batches
// instead of a growing queue.
export class StreamChannel<T> implements AsyncIterable<T> {
  private readonly queue: Array<{ item: T; taken: () => void }> = [];
  private wake: (() => void) | undefined;
  private failure: { error: unknown } | undefined;
  private ended = false;

  /** Ends the stream when `signal` aborts (the client unsubscribed or went away). */
  constructor(signal?: AbortSignal) {
    if (signal?.aborted) this.end();
    else signal?.addEventListener('abort', () => this.end(), { once: true });
  }

  push(item: T): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((taken) => {
      this.queue.push({ item, taken });
      this.notify();
    });
  }

  /** Ends the stream with an error for the client (its session ended, the bus closed). */
  fail(error: unknown): void {
    if (this.ended) return;
    this.failure = { error };
    this.end();
  }

  /** Ends the stream; items not yet taken are dropped. */
  end(): void {
    this.ended = true;
    for (const entry of this.queue.splice(0)) entry.taken();
    this.notify();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      const next = this.queue.shift();
      if (next) {
        next.taken();
        yield next.item;
        continue;
      }
      if (this.failure) throw this.failure.error;
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
