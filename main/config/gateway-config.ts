// The gateway's configuration: one validated object that the composition root turns into a
// running gateway. Entries (Electron, headless CLI, tests, benchmarks) only fill it in.
import { z } from 'zod';

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
