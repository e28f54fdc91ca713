// Lists a router's procedures with their declared access, and calls one by its dotted path:
// what the role-matrix and fuzz tests walk, so that they cover procedures added later.
import type { AnyTRPCProcedure, AnyTRPCRouter } from '@trpc/server';
import type { Access } from './access-policy.ts';
import type { ProcedureMeta } from './trpc.ts';

export interface ProcedureEntry {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  access: Access;
  /** whether a signed-in call leaves an audit row */
  audited: boolean;
  /** the procedure's input parsers (zod schemas) */
  inputs: unknown[];
}

export function listProcedures(router: AnyTRPCRouter): ProcedureEntry[] {
  const procedures = router._def.procedures as Record<string, AnyTRPCProcedure>;
  return Object.entries(procedures).map(([path, procedure]) => {
    const def = procedure._def as unknown as {
      type: ProcedureEntry['type'];
      meta?: ProcedureMeta;
      inputs: unknown[];
    };
    return {
      path,
      type: def.type,
      access: def.meta?.access as Access,
      audited: def.meta?.audit ?? def.type === 'mutation',
      inputs: def.inputs,
    };
  });
}

/** Calls `path` (e.g. "alerts.rules.create") on a tRPC caller. */
export function callProcedure(caller: unknown, path: string, input: unknown): Promise<unknown> {
  const fn = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
  return (fn as (input: unknown) => Promise<unknown>)(input);
}
