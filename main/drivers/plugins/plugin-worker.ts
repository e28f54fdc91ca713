// One plugin module in its own worker thread: calls go by message and each has a deadline. A
// call that throws rejects; a call that does not return in time (a hang, an endless loop) gets
// the worker terminated — V8 stops even a busy loop — so the gateway's thread is never blocked
// and never crashes with the plugin. The worker's heap is capped.
import { Worker } from 'node:worker_threads';
import { PLUGIN_HOST_SOURCE } from './plugin-host.ts';

export class PluginCallError extends Error {
  override readonly name = 'PluginCallError';
  constructor(
    message: string,
    /** the worker is gone (timed out, crashed, out of memory): it must be started again */
    readonly fatal: boolean,
  ) {
    super(message);
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class PluginWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private dead: string | undefined;

  constructor(moduleUrl: string, maxHeapMb = 256) {
    this.worker = new Worker(PLUGIN_HOST_SOURCE, {
      eval: true,
      workerData: { url: moduleUrl },
      resourceLimits: { maxOldGenerationSizeMb: maxHeapMb },
      stdout: false,
      stderr: false,
    });
    this.worker.on('message', (message: { id: number; ok: boolean; value?: unknown; error?: string }) => {
      const call = this.pending.get(message.id);
      if (!call) return;
      this.pending.delete(message.id);
      clearTimeout(call.timer);
      if (message.ok) call.resolve(message.value);
      else call.reject(new PluginCallError(message.error ?? 'the plugin failed', false));
    });
    this.worker.on('error', (error) => this.fail(`the plugin crashed: ${error.message}`));
    this.worker.on('exit', (code) => this.fail(`the plugin's worker stopped (exit code ${code})`));
  }

  get alive(): boolean {
    return this.dead === undefined;
  }

  private fail(reason: string): void {
    this.dead ??= reason;
    for (const call of this.pending.values()) {
      clearTimeout(call.timer);
      call.reject(new PluginCallError(reason, true));
    }
    this.pending.clear();
  }

  call<T>(method: string, args: unknown[], timeoutMs: number): Promise<T> {
    if (this.dead) return Promise.reject(new PluginCallError(this.dead, true));
    const id = ++this.next;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(
          `the plugin did not return from ${method}() within ${timeoutMs} ms (hung or in an endless loop); it was stopped`,
        );
        void this.worker.terminate();
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.worker.postMessage({ id, method, args });
    });
  }

  async terminate(): Promise<void> {
    this.fail('the plugin was stopped');
    await this.worker.terminate();
  }
}
