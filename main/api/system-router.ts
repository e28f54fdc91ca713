// The gateway's own state: health, metrics (frame bus, WAL backlog per durable consumer, event
// loop, memory) and the stream of events (device status, alerts, driver state, system).
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { EVENT_KIND_NAMES, eventView, type EventView } from '../live/frame-views.ts';
import { queryRows } from '../db/database.ts';
import { appVersion } from '../config/app-version.ts';
import { id, oneOf } from './api-schemas.ts';
import { StreamChannel } from '../live/stream-channel.ts';
import type { StartupState } from '../gateway/gateway-startup.ts';
import { liveStream } from './live-stream.ts';
import { procedure, router, signedIn, startupProcedure } from './trpc.ts';

const eventsInput = z
  .object({
    /** the kinds to stream; all when empty */
    kinds: z.array(oneOf(EVENT_KIND_NAMES)).max(EVENT_KIND_NAMES.length).default([]),
    /** only events about these devices (device status, alerts); all when empty */
    deviceIds: z.array(id).max(1_000, 'at most 1,000 devices per stream').default([]),
  })
  .prefault({});

export const systemRouter = router({
  /**
   * The gateway's start: its state now (starting at a stage, ready, or failed and why), then each
   * change; ends once it is ready or has failed. The one call served while the gateway starts:
   * the sign-in page shows the progress and signs in when it is ready.
   */
  startup: startupProcedure.subscription(async function* ({ ctx, signal }) {
    const channel = new StreamChannel<StartupState>(signal);
    const stop = ctx.gateway.onChange((state) => void channel.push(state));
    try {
      yield ctx.gateway.state();
      if (ctx.gateway.state().phase !== 'starting') return;
      for await (const state of channel) {
        yield state;
        if (state.phase !== 'starting') return;
      }
    } finally {
      stop();
      channel.end();
    }
  }),

  /**
   * Events as they happen, in batches at most ten times a second: device status changes, alert
   * lifecycle, driver state and system events (WAL, backpressure). Ends with the session.
   */
  events: procedure('read')
    .input(eventsInput)
    .subscription(async function* ({ ctx, input, signal }) {
      const kinds = new Set(input.kinds.length > 0 ? input.kinds : EVENT_KIND_NAMES);
      yield* liveStream<{ events: EventView[] }>(ctx, signal, (push) =>
        ctx.services.bus.subscribeCoalesced(
          {
            name: `api system.events (${signedIn(ctx).user.username})`,
            types: ['event'],
            deviceIds: input.deviceIds.length > 0 ? input.deviceIds : undefined,
          },
          (frames) => {
            const events: EventView[] = [];
            for (const frame of frames) {
              const view = frame.type === 'event' ? eventView(frame) : undefined;
              if (view && kinds.has(view.kind)) events.push(view);
            }
            return events.length > 0 ? push({ events }) : undefined;
          },
        ),
      );
    }),

  /**
   * How the gateway is coping: frames per second through the bus, its live subscribers and their
   * queues, the WAL (size, commit latency, pending frames) with the backlog of each durable
   * consumer, event-loop lag and memory.
   */
  metrics: procedure('read').query(({ ctx }) => {
    const { bus, wal, eventLoop, lastValues } = ctx.services;
    const walMetrics = wal.metrics();
    const memory = process.memoryUsage();
    return {
      at: ctx.services.clock.now(),
      bus: bus.metrics(),
      wal: walMetrics,
      /** frames the durable consumers (historian, relational writer) have yet to store */
      walBacklog: walMetrics.consumers.map(({ name, lagFrames, lagSeconds, failing, lastError }) => ({
        name,
        frames: lagFrames,
        seconds: lagSeconds,
        failing,
        lastError: lastError ?? null,
      })),
      eventLoop: eventLoop.read(),
      memory: {
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
        heapTotalBytes: memory.heapTotal,
        externalBytes: memory.external,
      },
      tagsWithValues: lastValues.size,
    };
  }),

  /** Versions, uptime and which database the gateway runs on. */
  health: procedure('read').query(async ({ ctx }) => {
    const { database, clock, startedAt } = ctx.services;
    const [row] = await queryRows<{ version: string }>(database.db, sql`SELECT version() AS version`);
    const now = clock.now();
    return {
      status: 'ok' as const,
      startedAt,
      uptimeSeconds: Math.max(0, Math.round((now.getTime() - startedAt.getTime()) / 1000)),
      database: {
        kind: database.kind,
        description: database.description,
        serverVersion: row?.version ?? null,
      },
      versions: {
        app: appVersion(),
        node: process.versions.node,
        electron: process.versions.electron ?? null,
        platform: `${process.platform} ${process.arch}`,
      },
    };
  }),
});
