// The gateway's configuration: one validated object that the composition root turns into a
// running gateway. Entries (Electron, headless CLI, tests, benchmarks) only fill it in.
import { z } from 'zod';

/** The write-ahead log of every frame (main/wal/). Defaults follow the seed's RocksDB section. */
export const walConfigSchema = z.object({
  /**
   * `sync` (default): a frame is acknowledged once it is on the disk, so a power cut loses
   * nothing acknowledged. `async`: acknowledged once the operating system has it — survives an
   * app crash, but a power cut can lose the last few milliseconds.
   */
  durability: z.enum(['sync', 'async']).default('sync'),
  /** How long confirmed frames are kept (seed: 24 h). */
  retentionHours: z
    .number()
    .positive('wal.retentionHours must be above 0')
    .max(24 * 365)
    .default(24),
  /** Size above which the oldest frames are dropped even if a sink has not stored them (seed: 1 GB). */
  maxSizeMb: z.number().int().min(16, 'wal.maxSizeMb must be at least 16').default(1024),
  /** How long a frame may wait for others to share its disk write (group commit). */
  groupCommitMs: z.number().min(0).max(100, 'wal.groupCommitMs must be at most 100').default(2),
});

export type WalConfig = z.infer<typeof walConfigSchema>;

export const gatewayConfigSchema = z.object({
  /** Root of everything the gateway stores locally (see data-folders.ts). */
  dataDir: z.string().min(1, 'dataDir must name a folder'),
  /**
   * A PostgreSQL connection string. When absent the embedded PGlite store under dataDir is used,
   * so the app works on an offline laptop with no server.
   */
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'databaseUrl must start with postgres:// or postgresql://')
    .optional(),
  /**
   * Start the demo profile (simulated devices to browse and trend). The headless entry turns it
   * on for a fresh data folder unless told --no-demo; the drivers subsystem starts it.
   */
  demo: z.boolean().default(false),
  wal: walConfigSchema.prefault({}),
});

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;
/** What entries fill in: defaulted fields may be left out. */
export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>;

export function parseGatewayConfig(input: unknown): GatewayConfig {
  const result = gatewayConfigSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`);
    throw new Error(`Invalid gateway configuration — ${problems.join('; ')}`);
  }
  return result.data;
}
