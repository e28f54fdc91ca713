// Keeps a WebSocket client that stops reading from making the gateway buffer without bound. ws
// queues whatever is sent to a socket whose peer does not read (ws.bufferedAmount): at ≈75,000
// tag updates/s that is megabytes a second. The live streams ask room() before each batch: above
// maxBufferedBytes it waits until the client has read the backlog down to half of it, and a
// coalesced stream meanwhile keeps only the latest value per tag (frame-bus's coalesced
// subscription waits for its handler), so a slow client gets fewer, fuller batches. A client
// that stays above the limit for stallTimeoutMs is closed with SLOW_CLIENT_CLOSE_CODE and a
// reason, and the gateway log says so.
import type WebSocket from 'ws';
import type { OutboundRoom } from '../api/api-context.ts';

/** The close code of a client closed for not reading (an application code, 4000-4999). */
export const SLOW_CLIENT_CLOSE_CODE = 4008;

export interface SlowClientLimits {
  /** bytes waiting to be sent to one client above which live streams hold their batches */
  maxBufferedBytes: number;
  /** how long a client may stay above that before it is closed */
  stallTimeoutMs: number;
}

export const DEFAULT_SLOW_CLIENT_LIMITS: SlowClientLimits = {
  maxBufferedBytes: 4 * 1024 * 1024,
  stallTimeoutMs: 30_000,
};

/** How often a held stream looks whether the client has read its backlog (ws has no 'drain'). */
const POLL_MS = 20;
/** After the close frame, how long the client has to answer it before its socket is destroyed. */
const CLOSE_GRACE_MS = 1_000;

const ROOM = Promise.resolve();

export class SlowClientGuard implements OutboundRoom {
  private waiting: Promise<void> | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly limits: SlowClientLimits,
    private readonly describe: string,
  ) {}

  room(): Promise<void> {
    if (this.waiting) return this.waiting;
    if (this.socket.bufferedAmount <= this.limits.maxBufferedBytes) return ROOM;
    this.waiting = this.waitForDrain().finally(() => (this.waiting = undefined));
    return this.waiting;
  }

  private waitForDrain(): Promise<void> {
    const since = performance.now();
    return new Promise((resolve) => {
      const timer = setInterval(() => {
        const { bufferedAmount, readyState } = this.socket;
        if (readyState !== this.socket.OPEN || bufferedAmount <= this.limits.maxBufferedBytes / 2) {
          clearInterval(timer);
          return resolve();
        }
        if (performance.now() - since < this.limits.stallTimeoutMs) return;
        clearInterval(timer);
        this.closeStalled(bufferedAmount);
        resolve();
      }, POLL_MS);
      timer.unref();
    });
  }

  private closeStalled(bufferedAmount: number): void {
    const seconds = Math.round(this.limits.stallTimeoutMs / 1_000);
    const reason = `Closed: the client read too slowly (${Math.round(bufferedAmount / 1024)} KiB unread for ${seconds} s)`;
    console.warn(`[api] ${this.describe}: ${reason}`);
    this.socket.close(SLOW_CLIENT_CLOSE_CODE, reason);
    // A client that does not read does not read the close frame either.
    const destroy = setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS);
    destroy.unref();
    this.socket.once('close', () => clearTimeout(destroy));
  }
}
