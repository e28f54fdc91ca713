// The gateway's start as the API's transports see it. The headless server and the desktop window
// serve the sign-in page at once, while the gateway is still opening its database, WAL and
// drivers; they hold this object instead of the running gateway. It says which stage the start
// is in, hands out the gateway's services once it runs, and keeps why it failed when it did.
import type { ApiServices } from '../api/api-services.ts';

/** The stages of a start, in order (createGateway reports them through `onStage`). */
export const START_STAGES = ['database', 'wal', 'historian', 'alerts', 'drivers'] as const;
export type StartStage = (typeof START_STAGES)[number];

export type StartupState =
  | {
      phase: 'starting';
      stage: StartStage;
      /** 1-based position of `stage` in START_STAGES */
      step: number;
      steps: number;
      /** an embedded database in a new data folder: the first administrator will be created next */
      freshDataFolder: boolean;
    }
  | { phase: 'ready' }
  /** `message` is a sentence for the user, e.g. "Cannot connect to PostgreSQL at …" */
  | { phase: 'failed'; message: string };

/** The stages in words, for the terminal, the log and the API's "still starting" refusal. */
export const START_STAGE_TEXT: Record<StartStage, string> = {
  database: 'opening the database',
  wal: 'opening the write-ahead log',
  historian: 'starting the historian',
  alerts: 'starting the alert engine',
  drivers: 'starting the drivers',
};

type Listener = (state: StartupState) => void;

export class GatewayStartup<S = ApiServices> {
  private current: StartupState;
  private running: S | undefined;
  private readonly listeners = new Set<Listener>();

  constructor(options: { freshDataFolder?: boolean } = {}) {
    this.current = {
      phase: 'starting',
      stage: START_STAGES[0],
      step: 1,
      steps: START_STAGES.length,
      freshDataFolder: options.freshDataFolder ?? false,
    };
  }

  /** A gateway that is already running (tests, benchmarks). */
  static running<S>(services: S): GatewayStartup<S> {
    const startup = new GatewayStartup<S>();
    startup.ready(services);
    return startup;
  }

  state(): StartupState {
    return this.current;
  }

  /** The gateway's services once it runs; undefined while it starts or after it failed. */
  services(): S | undefined {
    return this.running;
  }

  /** Moves to `stage` (ignored once the start has ended). */
  stage(stage: StartStage): void {
    if (this.current.phase !== 'starting') return;
    this.set({ ...this.current, stage, step: START_STAGES.indexOf(stage) + 1 });
  }

  ready(services: S): void {
    if (this.current.phase !== 'starting') return;
    this.running = services;
    this.set({ phase: 'ready' });
  }

  failed(error: unknown): void {
    if (this.current.phase !== 'starting') return;
    this.set({ phase: 'failed', message: error instanceof Error ? error.message : String(error) });
  }

  /** Calls `listener` on every change from now on; returns the function that stops it. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(state: StartupState): void {
    this.current = state;
    for (const listener of [...this.listeners]) listener(state);
  }
}
