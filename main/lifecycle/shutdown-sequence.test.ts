import { describe, expect, it } from 'vitest';
import { createShutdownSequence, type ShutdownStep } from './shutdown-sequence.ts';

function recordingLog() {
  const entries: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const at =
    (level: string) =>
    (fields: Record<string, unknown>, message: string): void => {
      entries.push({ level, fields, message });
    };
  return { entries, log: { info: at('info'), warn: at('warn'), error: at('error') } as never };
}

describe('createShutdownSequence', () => {
  it('runs the steps in order, each waiting for the one before', async () => {
    const events: string[] = [];
    const step = (name: string, ms: number): ShutdownStep => ({
      name,
      run: async () => {
        events.push(`${name} begins`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        events.push(`${name} done`);
      },
    });
    const { log } = recordingLog();
    const shutdown = createShutdownSequence({
      steps: [step('stop the API', 20), step('stop the gateway', 5)],
      stepTimeoutMs: 1000,
      log,
    });
    expect(shutdown.started).toBe(false);
    expect(await shutdown.run('quit')).toEqual({ reason: 'quit', failed: [] });
    expect(events).toEqual([
      'stop the API begins',
      'stop the API done',
      'stop the gateway begins',
      'stop the gateway done',
    ]);
  });

  it('runs once however often and from wherever it is asked', async () => {
    let stops = 0;
    const { log } = recordingLog();
    const shutdown = createShutdownSequence({
      steps: [{ name: 'stop the gateway', run: async () => void stops++ }],
      stepTimeoutMs: 1000,
      log,
    });
    const [first, second] = await Promise.all([shutdown.run('window closed'), shutdown.run('OS shutdown')]);
    expect(stops).toBe(1);
    expect(second).toBe(first);
    expect(first.reason).toBe('window closed');
    expect(shutdown.started).toBe(true);
  });

  it('goes on past a failing step and a hanging one, and names both', async () => {
    const events: string[] = [];
    const { log, entries } = recordingLog();
    const shutdown = createShutdownSequence({
      steps: [
        {
          name: 'stop the API',
          run: () => {
            throw new Error('transport already gone');
          },
        },
        { name: 'stop the drivers', run: () => new Promise<void>(() => undefined) },
        { name: 'stop the gateway', run: () => void events.push('gateway stopped') },
      ],
      stepTimeoutMs: 30,
      log,
    });
    expect(await shutdown.run('quit')).toEqual({ reason: 'quit', failed: ['stop the API', 'stop the drivers'] });
    expect(events).toEqual(['gateway stopped']);
    expect(entries.filter((entry) => entry.level === 'error').map((entry) => entry.message)).toEqual([
      'shutdown step failed',
      'shutdown step did not finish in time',
    ]);
    expect(entries.at(-1)).toMatchObject({ level: 'warn', message: 'stopped with errors' });
  });
});
