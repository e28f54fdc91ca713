// MQTT commissioning: listen on a broker for a few seconds to see which topics carry what, and
// pick the JSON paths tags map (see README, "MQTT").
import { z } from 'zod';
import { sniffTopics } from '../drivers/mqtt/mqtt-sniffer.ts';
import { jsonObject, text } from './api-schemas.ts';
import { procedure, router } from './trpc.ts';

export const mqttRouter = router({
  /** Messages arriving on `filter` during durationMs (retained ones at once). */
  sniff: procedure('commission')
    .input(
      z.object({
        endpoint: text(500),
        mqtt: jsonObject.optional(),
        filter: text(1000).default('#'),
        durationMs: z.int().min(100).max(10_000).default(2000),
        maxMessages: z.int().min(1).max(1000).default(200),
      }),
    )
    .query(({ input }) => sniffTopics(input)),
});
