// The order in which a running gateway is taken down, shared by the desktop app and the headless
// server. Steps run one after another, each at most once: stop taking requests first, then stop
// the gateway (drivers, then the WAL and databases flush and close), then close the log. A step
// that fails or hangs is logged and the sequence goes on, so that one stuck part can neither keep
// the databases open nor keep the process from exiting.
import type { Logger } from '../logging/logger.ts';

export interface ShutdownStep {
  /** what the step does, for the log ("stop the gateway") */
  name: string;
  run(): Promise<void> | void;
}

export interface ShutdownOutcome {
  reason: string;
  /** steps that threw or did not finish in time, in order */
  failed: string[];
}

export interface ShutdownSequence {
  /** Runs the steps (the first call does; later calls get the same outcome). */
  run(reason: string): Promise<ShutdownOutcome>;
  readonly started: boolean;
}

export interface ShutdownOptions {
  steps: ShutdownStep[];
  /** longest a single step may take before the sequence moves on */
  stepTimeoutMs: number;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
}

const TIMED_OUT = Symbol('timed out');

export function createShutdownSequence(options: ShutdownOptions): ShutdownSequence {
  let running: Promise<ShutdownOutcome> | undefined;

  async function runSteps(reason: string): Promise<ShutdownOutcome> {
    options.log.info({ reason }, 'shutting down');
    const failed: string[] = [];
    for (const step of options.steps) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
        timer = setTimeout(() => resolve(TIMED_OUT), options.stepTimeoutMs);
      });
      try {
        const result = await Promise.race([Promise.resolve().then(() => step.run()), timeout]);
        if (result === TIMED_OUT) {
          failed.push(step.name);
          options.log.error(
            { step: step.name, timeoutMs: options.stepTimeoutMs },
            'shutdown step did not finish in time',
          );
        }
      } catch (error) {
        failed.push(step.name);
        options.log.error({ step: step.name, err: error }, 'shutdown step failed');
      } finally {
        clearTimeout(timer);
      }
    }
    if (failed.length === 0) options.log.info({ reason }, 'stopped cleanly');
    else options.log.warn({ reason, failed }, 'stopped with errors');
    return { reason, failed };
  }

  return {
    run(reason) {
      running ??= runSteps(reason);
      return running;
    },
    get started() {
      return running !== undefined;
    },
  };
}
