// The alert engine: evaluates every enabled rule on each value frame of the tags it reads and on
// a timer (eval_interval, pending durations, shelving expiry, communication alerts, the 24 h
// auto-resolve), and carries each alert through its lifecycle:
//
//   (condition holds for eval_duration, outside cooldown) → ACTIVE → ACKNOWLEDGED → RESOLVED
//   ACTIVE/ACKNOWLEDGED → SUPPRESSED (shelved for a while) → back to its real state
//
// Every change publishes an alert EventFrame at once (the UI listens; through the WAL it becomes
// the historian's alert_events point) and is written to alert_history in order, off the
// evaluation path. After a restart the open alerts, each rule's cooldown and pending conditions
// are restored from the database, so one episode never fires twice.
//
// With the WAL given, no change is lost in a crash between its EventFrame and its row: the
// engine's WAL consumer ("alert-history") moves its checkpoint past an alert EventFrame only
// once that change's row is committed, and at start the EventFrames after the checkpoint (the
// changes a crash kept from the database) are written from the WAL before anything is restored.
// Only that start reads the WAL; while running, the engine knows its own EventFrames' sequence
// ids and confirms the log up to the oldest one whose row is not committed yet, without reading
// the value frames in between.
import { randomUUID } from 'node:crypto';
import type { AlertLevel, AlertStatus } from '../../common/enums.ts';
import {
  EventKind,
  type AlertLifecycle,
  Quality,
  QualityReason,
  Severity,
  type DataFrame,
  type Value,
} from '../../proto/generated/frame.ts';
import type { FrameBus } from '../bus/frame-bus.ts';
import { nsToMs } from '../frames/frame-clock.ts';
import type { Frame } from '../frames/frame.ts';
import type { Subscription } from '../bus/subscription.ts';
import type { Database } from '../db/database.ts';
import { AlertEngineRepository, type TagName } from '../db/repositories/alert-engine-repository.ts';
import type { AlertHistoryPatch, AlertHistoryRow } from '../db/repositories/alert-history-repository.ts';
import type { DurableConsumer } from '../wal/durable-consumer.ts';
import type { FrameWal } from '../wal/frame-wal.ts';
import type { TrackedConsumer } from '../wal/tracked-consumer.ts';
import { AlertHistoryWriter } from './alert-history-writer.ts';
import { RuleRuntime, type AlertSource } from './alert-rule-runtime.ts';
import { activeAlertOf, type ActiveAlert, type OpenAlert, type OpenStatus } from './open-alert.ts';
import { expressionScope } from './rule-expression-check.ts';
import { TagDirectory } from './tag-directory.ts';
import { TagSeries } from './tag-series.ts';
import { crossedThreshold } from './threshold-check.ts';

export interface EngineClock {
  now(): Date;
}

export interface AlertEngineOptions {
  db: Database;
  bus: FrameBus;
  /** the bus's WAL: alert changes a crash kept from alert_history are written from it at start */
  wal?: FrameWal;
  clock?: EngineClock;
  /** how often the timer runs (default 250 ms) */
  tickMs?: number;
  /** a watched tag Bad for this long raises a communication alert (default 10 s; null: never) */
  communicationDelayMs?: number | null;
  /** how often auto_resolve_expired_alerts runs (default 5 minutes) */
  autoResolveEveryMs?: number;
  /** ACTIVE alerts older than this are resolved by it (the seed: 24 hours) */
  autoResolveAfterMs?: number;
  /** problems worth a log line (history writes failing, refused rules) */
  onProblem?: (message: string) => void;
}

export class AlertActionError extends Error {
  override readonly name = 'AlertActionError';
  constructor(
    readonly reason: 'not-found' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

export interface AcknowledgeResult {
  id: string;
  ok: boolean;
  /** why not, in words */
  error?: string;
  status?: AlertStatus;
}

export interface AlertEngineMetrics {
  rules: number;
  /** rules whose expression could not be compiled (a tag was renamed or deleted) */
  brokenRules: number;
  watchedTags: number;
  openAlerts: number;
  evaluations: number;
  fired: number;
  historyBacklog: number;
}

const SEVERITIES: Record<AlertLevel, Severity> = {
  INFO: Severity.SEVERITY_INFO,
  WARNING: Severity.SEVERITY_WARNING,
  CRITICAL: Severity.SEVERITY_CRITICAL,
  FATAL: Severity.SEVERITY_FATAL,
};

const QUALITY_REASONS: Partial<Record<QualityReason, string>> = {
  [QualityReason.QUALITY_REASON_TIMEOUT]: 'the device did not answer in time',
  [QualityReason.QUALITY_REASON_EXCEPTION]: 'the device answered with an exception',
  [QualityReason.QUALITY_REASON_CRC_ERROR]: 'corrupted frames on the line',
  [QualityReason.QUALITY_REASON_PORT_CLOSED]: 'the port or connection is closed',
  [QualityReason.QUALITY_REASON_NOT_CONNECTED]: 'the device is not connected',
  [QualityReason.QUALITY_REASON_DECODE_ERROR]: 'the value could not be decoded',
  [QualityReason.QUALITY_REASON_CONFIG_ERROR]: "the tag's address or type is invalid",
  [QualityReason.QUALITY_REASON_STALE]: 'no update within the expected time',
  [QualityReason.QUALITY_REASON_DEVICE_FAILURE]: 'the device reports a failure',
  [QualityReason.QUALITY_REASON_MALFORMED_RESPONSE]: 'the device sent a malformed answer',
};

/** A tag's communication alert: Bad quality for longer than the communication delay. */
class CommunicationSource implements AlertSource {
  readonly kind = 'communication';
  readonly ruleId = null;
  readonly level = 'WARNING';
  open: OpenAlert | undefined;
  lastResolvedAtMs = -Infinity;
  latched = false;
  constructor(readonly series: TagSeries) {}
  get name(): string {
    return `Communication: ${this.series.label}`;
  }
  get deviceId(): string {
    return this.series.deviceId;
  }
  get tagId(): string {
    return this.series.tagId;
  }
}

function numericValue(value: Value | undefined): number {
  const kind = value?.kind;
  switch (kind?.$case) {
    case 'doubleValue':
      return kind.value;
    case 'boolValue':
      return kind.value ? 1 : 0;
    case 'intValue':
    case 'uintValue':
      return Number(kind.value);
    default:
      return NaN;
  }
}

const HOUR_MS = 3_600_000;
/** A condition waiting at least this long to fire is stored in alert_rule_state. */
const REMEMBER_PENDING_MS = 5_000;
/** How often the engine confirms the WAL up to its committed alert changes. */
const HISTORY_CONFIRM_MS = 1_000;

export class AlertEngine {
  private readonly repo: AlertEngineRepository;
  private readonly writer: AlertHistoryWriter;
  private readonly clock: EngineClock;
  private readonly communicationDelayMs: number | null;
  private readonly autoResolveEveryMs: number;
  private readonly autoResolveAfterMs: number;

  private rules = new Map<string, RuleRuntime>();
  private brokenRules = 0;
  private series = new Map<string, TagSeries>();
  private dependents = new Map<TagSeries, RuleRuntime[]>();
  private communication = new Map<string, CommunicationSource>();
  private readonly openById = new Map<string, OpenAlert>();
  private subscription: Subscription | undefined;
  private timer: NodeJS.Timeout | undefined;
  private nextAutoResolveAtMs = 0;
  private evaluations = 0;
  private fired = 0;
  private started = false;
  /** reads the WAL at start, to write the alert changes a crash kept from alert_history */
  private historyConsumer: DurableConsumer | undefined;
  /** then confirms the WAL as this engine's own changes are committed */
  private historyTracking: TrackedConsumer | undefined;
  private historyTimer: NodeJS.Timeout | undefined;
  /** alert EventFrames after this sequence id are this engine's own; earlier ones are recovered */
  private liveFrom = 0;

  constructor(private readonly options: AlertEngineOptions) {
    this.repo = new AlertEngineRepository(options.db);
    this.clock = options.clock ?? { now: () => new Date() };
    this.communicationDelayMs = options.communicationDelayMs === undefined ? 10_000 : options.communicationDelayMs;
    this.autoResolveEveryMs = options.autoResolveEveryMs ?? 5 * 60_000;
    this.autoResolveAfterMs = options.autoResolveAfterMs ?? 24 * HOUR_MS;
    this.writer = new AlertHistoryWriter(options.db, { onProblem: options.onProblem });
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  // ---------------------------------------------------------------- start, stop, reload

  /** Loads rules and restores open alerts, cooldowns and pending conditions; then listens. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.recoverHistory();
    const [openRows, episodes, pending] = await Promise.all([
      this.repo.openAlerts(),
      this.repo.lastEpisodes(),
      this.repo.pendingConditions(),
    ]);
    await this.reload();
    const now = this.now();
    for (const episode of episodes) {
      const rule = this.rules.get(episode.ruleId);
      if (!rule || episode.resolvedAt === null) continue;
      rule.lastResolvedAtMs = episode.resolvedAt.getTime();
      rule.latched = episode.resolvedBy === 'auto-resolve';
    }
    for (const { ruleId, pendingSince } of pending) {
      const rule = this.rules.get(ruleId);
      if (!rule) continue;
      rule.pendingSinceMs = pendingSince.getTime();
      rule.pendingStored = true;
    }
    for (const row of openRows) this.restore(row, now);
    this.nextAutoResolveAtMs = now;
    this.subscription = this.options.bus.subscribe({ name: 'alert-engine', types: ['data'] }, (frame) => {
      if (frame.type === 'data') this.handleValue(frame.payload);
    });
    const tickMs = this.options.tickMs ?? 250;
    this.timer = setInterval(() => this.tick(), tickMs);
    this.timer.unref();
  }

  /** Stops listening and writes what is still queued (up to 5 s). */
  async stop(): Promise<void> {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.writer.close();
    await this.historyConsumer?.stop();
    this.historyConsumer = undefined;
    clearInterval(this.historyTimer);
    this.confirmHistory();
    await this.historyTracking?.stop();
    this.historyTracking = undefined;
  }

  // ---------------------------------------------------------------- durable history

  /**
   * Starts the "alert-history" consumer and waits until it has passed every frame published
   * before this start: an alert EventFrame among them whose change is not in alert_history (the
   * process died before the row was committed) is written from the frame.
   */
  private async recoverHistory(): Promise<void> {
    const wal = this.options.wal;
    if (!wal) return;
    await wal.flush();
    this.liveFrom = wal.lastSequenceId;
    const consumer = await wal.consume('alert-history', (frames) => this.historySink(frames), {
      types: ['event'],
      startAt: 'latest',
      batchSize: 500,
      stopTimeoutMs: 1_000,
    });
    this.historyConsumer = consumer;
    while (consumer.checkpoint < this.liveFrom) {
      const { consecutiveFailures, lastError } = consumer.metrics();
      if (consecutiveFailures >= 5) {
        await consumer.stop();
        this.historyConsumer = undefined;
        throw new Error(`Alert changes in the WAL could not be written to alert_history: ${lastError}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Caught up: from here on the engine confirms the WAL itself (its checkpoint may have moved
    // past live frames already; their rows were committed before it did).
    await consumer.stop();
    this.historyConsumer = undefined;
    this.historyTracking = await wal.track('alert-history');
    this.historyTimer = setInterval(() => this.confirmHistory(), HISTORY_CONFIRM_MS);
    this.historyTimer.unref();
  }

  /**
   * Moves the WAL checkpoint up to just before the oldest EventFrame whose row is not committed
   * (every EventFrame is published and queued for writing in one synchronous step, so nothing
   * before that point still waits), or to the end of the log when nothing waits.
   */
  private confirmHistory(): void {
    const wal = this.options.wal;
    if (!wal || !this.historyTracking) return;
    const pending = this.writer.oldestPendingSequenceId;
    this.historyTracking.advance(pending === undefined ? wal.committedSequenceId : pending - 1);
  }

  private async historySink(frames: Frame[]): Promise<void> {
    let lastOwn = 0;
    for (const frame of frames) {
      if (frame.type !== 'event' || frame.payload.detail?.$case !== 'alert') continue;
      if (frame.sequenceId > this.liveFrom) lastOwn = frame.sequenceId;
      else await this.recoverChange(frame.sequenceId, nsToMs(frame.timestamp), frame.payload.detail.value);
    }
    if (lastOwn > 0) await this.writer.whenCommitted(lastOwn);
  }

  /** Writes one alert change from its EventFrame unless its row already records it. */
  private async recoverChange(sequenceId: number, at: number, change: AlertLifecycle): Promise<void> {
    const stored = await this.repo.transitionsOf(change.alertId);
    if (stored?.transitions.some((transition) => transition.seq === sequenceId)) return;
    const status = change.status as AlertStatus;
    const transition = {
      at: new Date(at).toISOString(),
      status,
      seq: sequenceId,
      recovered: 'from the WAL after a restart',
      ...(change.user ? { user: change.user } : {}),
      ...(change.comment ? { comment: change.comment } : {}),
    };
    const durationMs = change.durationSeconds * 1000;
    const orNull = (value: number) => (Number.isNaN(value) ? null : value);
    if (!stored) {
      await this.repo.insertAlert({
        id: change.alertId,
        ruleId: change.ruleId || null,
        deviceId: change.deviceId || null,
        tagId: change.tagId || null,
        firedAt: new Date(status === 'ACTIVE' ? at : at - durationMs),
        triggeredValue: orNull(change.triggeredValue),
        thresholdValue: orNull(change.thresholdValue),
        level: change.level as AlertLevel,
        status: status === 'SUPPRESSED' ? 'ACTIVE' : status,
        message: change.message,
        ...(status === 'RESOLVED' ? { resolvedAt: new Date(at), duration: durationMs } : {}),
        details: { kind: change.ruleId ? 'value' : 'communication', transitions: [transition] },
      });
      return;
    }
    // A shelving's end time is not in the frame: the alert keeps its real state instead.
    const patch: AlertHistoryPatch =
      status === 'RESOLVED'
        ? { status, resolvedAt: new Date(at), duration: durationMs }
        : status === 'ACKNOWLEDGED'
          ? { status, acknowledgedAt: new Date(at), acknowledgedBy: change.user }
          : status === 'ACTIVE'
            ? { status }
            : {};
    await this.repo.updateAlert(change.alertId, patch, status === 'ACTIVE' ? { shelvedUntil: null } : {}, transition);
  }

  /** Resolves once every queued alert_history write is done (tests, shutdown). */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /**
   * Reloads rules and tag names (after a rule or tag changed). Rules keep their state; an open
   * alert whose rule was deleted or disabled is resolved.
   */
  async reload(): Promise<void> {
    const [rules, tagNames] = await Promise.all([this.repo.enabledRules(), this.repo.tagNames()]);
    const directory = new TagDirectory(tagNames);
    const now = this.now();
    const series = new Map<string, TagSeries>();
    const dependents = new Map<TagSeries, RuleRuntime[]>();
    const next = new Map<string, RuleRuntime>();
    let broken = 0;
    const seriesOf = (tag: TagName): TagSeries => {
      let found = series.get(tag.id);
      if (!found) {
        found = this.series.get(tag.id) ?? new TagSeries(tag.id, tag.deviceId, `${tag.deviceName}/${tag.name}`, now);
        found.resetRetention();
        series.set(tag.id, found);
      }
      return found;
    };
    for (const rule of rules) {
      let runtime: RuleRuntime;
      try {
        runtime = new RuleRuntime(rule, expressionScope(directory, rule, seriesOf));
      } catch (error) {
        broken++;
        this.options.onProblem?.(`Alert rule '${rule.name}' is not evaluated: ${(error as Error).message}`);
        continue;
      }
      const previous = this.rules.get(rule.id);
      if (previous) {
        runtime.open = previous.open;
        if (runtime.open) runtime.open.source = runtime;
        runtime.lastResolvedAtMs = previous.lastResolvedAtMs;
        runtime.latched = previous.latched;
        runtime.pendingSinceMs = previous.pendingSinceMs;
        runtime.pendingStored = previous.pendingStored;
      }
      next.set(rule.id, runtime);
      for (const signal of runtime.expression.signals) {
        const list = dependents.get(signal as TagSeries);
        if (list) list.push(runtime);
        else dependents.set(signal as TagSeries, [runtime]);
      }
    }
    for (const [id, old] of this.rules) {
      if (!next.has(id) && old.open) this.resolve(old.open, now, 'the rule was deleted or disabled', 'rule-removed');
      if (!next.has(id) && old.pendingStored) this.storePending(old, undefined);
    }
    const communication = new Map<string, CommunicationSource>();
    for (const [tagId, tagSeries] of series) {
      communication.set(tagId, this.communication.get(tagId) ?? new CommunicationSource(tagSeries));
    }
    for (const [tagId, source] of this.communication) {
      if (!communication.has(tagId) && source.open)
        this.resolve(source.open, now, 'no rule watches the tag any more', 'rule-removed');
    }
    this.rules = next;
    this.series = series;
    this.dependents = dependents;
    this.communication = communication;
    this.brokenRules = broken;
  }

  // ---------------------------------------------------------------- evaluation

  /** A value frame from the bus. */
  handleValue(frame: DataFrame): void {
    const series = this.series.get(frame.tagId);
    if (!series) return;
    const now = this.now();
    const good = frame.quality !== Quality.QUALITY_BAD;
    const value = numericValue(frame.value);
    series.update(value, good && !Number.isNaN(value), now);
    if (good) {
      series.badSinceMs = undefined;
      const comm = this.communication.get(series.tagId);
      if (comm?.open?.conditionOn)
        this.conditionCleared(comm.open, now, `${comm.open.message} — valid values again`, value);
      else if (comm) comm.latched = false;
    } else {
      series.badSinceMs ??= now;
      series.badReason = QUALITY_REASONS[frame.qualityReason] ?? 'quality Bad';
      const open = this.communication.get(series.tagId)?.open;
      if (open && !open.conditionOn) this.conditionReturned(open, now, NaN);
    }
    const rules = this.dependents.get(series);
    if (!rules) return;
    for (const rule of rules) this.evaluate(rule, now);
  }

  private evaluate(rule: RuleRuntime, now: number): void {
    this.evaluations++;
    rule.nextEvalAtMs = now + rule.intervalMs;
    const x = rule.expression.evaluate(now);
    if (Number.isNaN(x)) return; // unknown (no value yet, quality Bad): hold the state
    const open = rule.open;
    const holds = rule.holds(x, open?.conditionOn ?? false);
    if (open) {
      // Not shelved, an open alert's condition is on; shelved, it may have cleared meanwhile.
      if (holds === open.conditionOn) return;
      if (holds) this.conditionReturned(open, now, x);
      else this.conditionCleared(open, now, `${rule.message(x)} — cleared`, rule.reportedValue(x));
      return;
    }
    if (rule.latched) {
      if (!holds) rule.latched = false;
      return;
    }
    if (!holds) {
      if (rule.pendingSinceMs !== undefined) {
        rule.pendingSinceMs = undefined;
        if (rule.pendingStored) this.storePending(rule, undefined);
      }
      return;
    }
    rule.pendingSinceMs ??= now;
    const heldLongEnough = now - rule.pendingSinceMs >= rule.durationMs;
    const cooledDown = now >= rule.lastResolvedAtMs + rule.cooldownMs;
    if (heldLongEnough && cooledDown) {
      if (rule.pendingStored) this.storePending(rule, undefined);
      rule.pendingSinceMs = undefined;
      const threshold = rule.expression.type === 'number' ? crossedThreshold(rule.thresholds, x) : null;
      this.fire(rule, now, rule.reportedValue(x), threshold, rule.message(x));
    } else if (!rule.pendingStored) {
      // Worth remembering across a restart only when the wait is longer than a restart.
      const firesAt = Math.max(rule.pendingSinceMs + rule.durationMs, rule.lastResolvedAtMs + rule.cooldownMs);
      if (firesAt - now >= REMEMBER_PENDING_MS) this.storePending(rule, rule.pendingSinceMs);
    }
  }

  /**
   * The timer: rules due for their eval_interval (time-based conditions), pending conditions,
   * shelving that expired, communication alerts and the periodic auto-resolve.
   */
  tick(): void {
    const now = this.now();
    for (const rule of this.rules.values()) {
      if (rule.pendingSinceMs !== undefined || (rule.expression.timeDependent && now >= rule.nextEvalAtMs)) {
        this.evaluate(rule, now);
      }
    }
    for (const alert of this.openById.values()) {
      if (alert.status === 'SUPPRESSED' && alert.shelvedUntilMs !== undefined && now >= alert.shelvedUntilMs) {
        this.endShelving(alert, now, 'system', 'shelving expired');
      }
    }
    if (this.communicationDelayMs !== null) {
      for (const source of this.communication.values()) {
        const badSince = source.series.badSinceMs;
        if (badSince === undefined || source.open || source.latched) continue;
        if (now - badSince >= this.communicationDelayMs) {
          const seconds = Math.round((now - badSince) / 1000);
          this.fire(
            source,
            now,
            null,
            null,
            `No valid value from ${source.series.label} for ${seconds} s: ${source.series.badReason}`,
          );
        }
      }
    }
    if (now >= this.nextAutoResolveAtMs) {
      this.nextAutoResolveAtMs = now + this.autoResolveEveryMs;
      this.autoResolveExpired();
    }
  }

  // ---------------------------------------------------------------- lifecycle

  private fire(
    source: AlertSource,
    now: number,
    triggeredValue: number | null,
    thresholdValue: number | null,
    message: string,
  ): void {
    const alert: OpenAlert = {
      id: randomUUID(),
      source,
      status: 'ACTIVE',
      firedAtMs: now,
      triggeredValue,
      thresholdValue,
      message,
      conditionOn: true,
    };
    source.open = alert;
    this.openById.set(alert.id, alert);
    this.fired++;
    const seq = this.announce(alert, 'ACTIVE', now, message, {});
    const details = {
      kind: source.kind,
      ruleName: source.kind === 'value' ? source.name : null,
      tagLabel: this.labelOf(source),
      expression: source instanceof RuleRuntime ? source.rule.conditionExpression : null,
      transitions: [{ at: new Date(now).toISOString(), status: 'ACTIVE', value: triggeredValue, seq }],
    };
    this.writer.enqueue(
      `alert ${alert.id} fired`,
      (repo) =>
        repo.insertAlert({
          id: alert.id,
          ruleId: source.ruleId,
          deviceId: source.deviceId,
          tagId: source.tagId,
          firedAt: new Date(now),
          triggeredValue,
          thresholdValue,
          level: source.level,
          status: 'ACTIVE',
          message,
          details,
        }),
      seq,
    );
  }

  private labelOf(source: AlertSource): string | null {
    if (source instanceof CommunicationSource) return source.series.label;
    return (source as RuleRuntime).self?.label ?? null;
  }

  /** The condition cleared: resolve, or (while shelved) remember it for the shelving's end. */
  private conditionCleared(alert: OpenAlert, now: number, message: string, value: number | null): void {
    if (alert.status === 'SUPPRESSED') {
      alert.conditionOn = false;
      alert.clearedAtMs = now;
      this.record(
        alert,
        now,
        { clearedAt: new Date(now).toISOString() },
        { event: 'condition cleared while shelved', value },
      );
      return;
    }
    this.resolve(alert, now, message, 'condition', value);
  }

  private conditionReturned(alert: OpenAlert, now: number, x: number): void {
    alert.conditionOn = true;
    alert.clearedAtMs = undefined;
    this.record(
      alert,
      now,
      { clearedAt: null },
      { event: 'condition holds again while shelved', value: Number.isNaN(x) ? null : x },
    );
  }

  private resolve(
    alert: OpenAlert,
    at: number,
    message: string,
    resolvedBy: 'condition' | 'auto-resolve' | 'rule-removed',
    value: number | null = null,
  ): void {
    const source = alert.source;
    const resolvedAt = Math.max(at, alert.firedAtMs);
    source.open = undefined;
    source.lastResolvedAtMs = resolvedAt;
    source.latched = resolvedBy === 'auto-resolve' && alert.conditionOn;
    this.openById.delete(alert.id);
    const durationMs = resolvedAt - alert.firedAtMs;
    const seq = this.announce(alert, 'RESOLVED', at, message, {}, durationMs);
    const patch = { status: 'RESOLVED' as const, resolvedAt: new Date(resolvedAt), duration: durationMs };
    const transition = { at: new Date(at).toISOString(), status: 'RESOLVED', reason: message, value, seq };
    this.writer.enqueue(
      `alert ${alert.id} resolved`,
      (repo) => repo.updateAlert(alert.id, patch, { resolvedBy, shelvedUntil: null }, transition),
      seq,
    );
  }

  /** Writes a change of an open alert that keeps its status (shelved condition changes). */
  private record(
    alert: OpenAlert,
    at: number,
    details: Record<string, unknown>,
    transition: Record<string, unknown>,
  ): void {
    const entry = { ...transition, at: new Date(at).toISOString() };
    this.writer.enqueue(`alert ${alert.id} changed`, (repo) => repo.updateAlert(alert.id, {}, details, entry));
  }

  private setStatus(
    alert: OpenAlert,
    status: OpenStatus,
    now: number,
    user: string,
    comment: string,
    details: Record<string, unknown>,
    patch: AlertHistoryPatch = {},
  ): void {
    alert.status = status;
    const message = `${alert.message} — ${status.toLowerCase()} by ${user}${comment ? `: ${comment}` : ''}`;
    const seq = this.announce(alert, status, now, message, { user, comment });
    const transition = { at: new Date(now).toISOString(), status, user, comment: comment || undefined, seq };
    this.writer.enqueue(
      `alert ${alert.id} ${status.toLowerCase()}`,
      (repo) => repo.updateAlert(alert.id, { status, ...patch }, details, transition),
      seq,
    );
  }

  /** Acknowledges open alerts (ACTIVE, or SUPPRESSED: it comes back ACKNOWLEDGED). */
  async acknowledge(ids: readonly string[], user: string, comment = ''): Promise<AcknowledgeResult[]> {
    const now = this.now();
    const results: AcknowledgeResult[] = [];
    for (const id of ids) {
      const alert = this.openById.get(id);
      if (!alert) {
        results.push({ id, ok: false, error: await this.whyNotOpen(id) });
        continue;
      }
      if (alert.acknowledgedBy !== undefined) {
        results.push({
          id,
          ok: false,
          error: `This alert was already acknowledged by ${alert.acknowledgedBy}.`,
          status: alert.status,
        });
        continue;
      }
      alert.acknowledgedBy = user;
      alert.acknowledgedAtMs = Math.max(now, alert.firedAtMs);
      const patch = { acknowledgedAt: new Date(alert.acknowledgedAtMs), acknowledgedBy: user };
      const details = { acknowledgeComment: comment || null };
      if (alert.status === 'SUPPRESSED') {
        // Stays shelved; comes back ACKNOWLEDGED when the shelving ends.
        const seq = this.announce(alert, 'SUPPRESSED', now, `${alert.message} — acknowledged by ${user}`, {
          user,
          comment,
        });
        this.writer.enqueue(
          `alert ${alert.id} acknowledged`,
          (repo) =>
            repo.updateAlert(alert.id, patch, details, {
              at: new Date(now).toISOString(),
              event: 'acknowledged while shelved',
              user,
              comment,
              seq,
            }),
          seq,
        );
      } else {
        this.setStatus(alert, 'ACKNOWLEDGED', now, user, comment, details, patch);
      }
      results.push({ id, ok: true, status: alert.status });
    }
    if (results.some((result) => result.ok)) await this.historyWritten();
    return results;
  }

  /**
   * Waits, at most `timeoutMs`, for the queued alert_history writes: a user's action (acknowledge,
   * shelve) is answered once its row is committed, so a crash right after the answer cannot take
   * it back. When the database is away the change stays queued and retried, and the answer does
   * not wait for the outage to end.
   */
  async historyWritten(timeoutMs = 2_000): Promise<void> {
    let waited: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.writer.flush(),
      new Promise((resolve) => (waited = setTimeout(resolve, timeoutMs))),
    ]).finally(() => clearTimeout(waited));
  }

  /** Shelves an open alert for `durationMs`: SUPPRESSED, then back to its real state. */
  shelve(id: string, durationMs: number, user: string, comment = ''): ActiveAlert {
    const alert = this.requireOpen(id);
    const now = this.now();
    alert.shelvedUntilMs = now + durationMs;
    alert.shelvedBy = user;
    const until = new Date(alert.shelvedUntilMs).toISOString();
    this.setStatus(alert, 'SUPPRESSED', now, user, comment, {
      shelvedUntil: until,
      shelvedBy: user,
      shelveComment: comment || null,
    });
    return activeAlertOf(alert);
  }

  /** Ends a shelving early. */
  unshelve(id: string, user: string, comment = ''): ActiveAlert | { id: string; status: 'RESOLVED' } {
    const alert = this.requireOpen(id);
    if (alert.status !== 'SUPPRESSED') throw new AlertActionError('conflict', 'This alert is not shelved.');
    this.endShelving(alert, this.now(), user, comment || 'unshelved');
    return alert.source.open === alert ? activeAlertOf(alert) : { id, status: 'RESOLVED' };
  }

  private endShelving(alert: OpenAlert, now: number, user: string, reason: string): void {
    alert.shelvedUntilMs = undefined;
    alert.shelvedBy = undefined;
    if (!alert.conditionOn) {
      // Its real state: the condition cleared while it was shelved.
      this.resolve(
        alert,
        alert.clearedAtMs ?? now,
        `${alert.message} — cleared while shelved (${reason})`,
        'condition',
      );
      return;
    }
    const status: OpenStatus = alert.acknowledgedBy !== undefined ? 'ACKNOWLEDGED' : 'ACTIVE';
    this.setStatus(alert, status, now, user, reason, { shelvedUntil: null });
  }

  private requireOpen(id: string): OpenAlert {
    const alert = this.openById.get(id);
    if (!alert) throw new AlertActionError('not-found', `Alert ${id} is not open (it is resolved or does not exist).`);
    return alert;
  }

  private async whyNotOpen(id: string): Promise<string> {
    // The row may be a change behind memory (it follows the Event within milliseconds): let the
    // queued writes land first, but not for long when the database is away.
    await this.historyWritten(1_000);
    const status = await this.repo.statusOf(id);
    if (!status) return `Alert ${id} does not exist.`;
    return `This alert is already ${status.toLowerCase()}.`;
  }

  /**
   * The seed's auto_resolve_expired_alerts(): ACTIVE alerts that fired more than 24 hours ago
   * are resolved (on the engine's clock). An alert whose condition still holds then stays
   * quiet until the condition clears. Returns how many were resolved.
   */
  autoResolveExpired(): number {
    const now = this.now();
    let resolved = 0;
    for (const alert of [...this.openById.values()]) {
      if (alert.status !== 'ACTIVE' || now - alert.firedAtMs <= this.autoResolveAfterMs) continue;
      this.resolve(
        alert,
        now,
        `${alert.message} — resolved after ${this.autoResolveAfterMs / HOUR_MS} h`,
        'auto-resolve',
      );
      resolved++;
    }
    return resolved;
  }

  private announce(
    alert: OpenAlert,
    status: AlertStatus,
    now: number,
    message: string,
    who: { user?: string; comment?: string },
    durationMs = now - alert.firedAtMs,
  ): number {
    const source = alert.source;
    return this.options.bus.publish({
      type: 'event',
      payload: {
        kind: EventKind.EVENT_KIND_ALERT,
        severity: SEVERITIES[source.level],
        message,
        detail: {
          $case: 'alert',
          value: {
            alertId: alert.id,
            ruleId: source.ruleId ?? '',
            deviceId: source.deviceId ?? '',
            tagId: source.tagId ?? '',
            level: source.level,
            status,
            triggeredValue: alert.triggeredValue ?? NaN,
            thresholdValue: alert.thresholdValue ?? NaN,
            message,
            user: who.user ?? '',
            comment: who.comment ?? '',
            durationSeconds: Math.max(0, Math.round(durationMs / 1000)),
          },
        },
      },
    }).sequenceId;
  }

  private storePending(rule: RuleRuntime, since: number | undefined): void {
    rule.pendingStored = since !== undefined;
    const at = since === undefined ? undefined : new Date(since);
    this.writer.enqueue(`pending condition of rule '${rule.name}'`, (repo) => repo.setPending(rule.ruleId, at));
  }

  /** Puts an alert read from alert_history back in memory (start). */
  private restore(row: AlertHistoryRow, now: number): void {
    const details = row.details ?? {};
    const source: AlertSource | undefined =
      details.kind === 'communication'
        ? row.tagId
          ? this.communication.get(row.tagId)
          : undefined
        : row.ruleId
          ? this.rules.get(row.ruleId)
          : undefined;
    const alert: OpenAlert = {
      id: row.id,
      source:
        source ??
        ({
          kind: 'value',
          ruleId: row.ruleId,
          name: String(details.ruleName ?? 'deleted rule'),
          deviceId: row.deviceId,
          tagId: row.tagId,
          level: row.level,
          open: undefined,
          lastResolvedAtMs: -Infinity,
          latched: false,
        } satisfies AlertSource),
      status: row.status as OpenStatus,
      firedAtMs: row.firedAt.getTime(),
      triggeredValue: row.triggeredValue,
      thresholdValue: row.thresholdValue,
      message: row.message,
      acknowledgedBy: row.acknowledgedBy ?? undefined,
      acknowledgedAtMs: row.acknowledgedAt?.getTime(),
      conditionOn: typeof details.clearedAt !== 'string',
      clearedAtMs: typeof details.clearedAt === 'string' ? Date.parse(details.clearedAt) : undefined,
      shelvedUntilMs: typeof details.shelvedUntil === 'string' ? Date.parse(details.shelvedUntil) : undefined,
      shelvedBy: typeof details.shelvedBy === 'string' ? details.shelvedBy : undefined,
    };
    this.openById.set(alert.id, alert);
    if (!source || source.open) {
      // Its rule is gone or disabled (or a duplicate): the episode is over.
      this.resolve(alert, now, `${row.message} — the rule was deleted or disabled`, 'rule-removed');
      return;
    }
    source.open = alert;
  }

  // ---------------------------------------------------------------- reading

  /** Open alerts (ACTIVE, ACKNOWLEDGED, SUPPRESSED), most severe and newest first. */
  active(): ActiveAlert[] {
    const order: Record<AlertLevel, number> = { FATAL: 0, CRITICAL: 1, WARNING: 2, INFO: 3 };
    return [...this.openById.values()]
      .map(activeAlertOf)
      .sort((a, b) => order[a.level] - order[b.level] || b.firedAt.getTime() - a.firedAt.getTime());
  }

  metrics(): AlertEngineMetrics {
    return {
      rules: this.rules.size,
      brokenRules: this.brokenRules,
      watchedTags: this.series.size,
      openAlerts: this.openById.size,
      evaluations: this.evaluations,
      fired: this.fired,
      historyBacklog: this.writer.backlog,
    };
  }
}
