// What a driver configuration is when a user creates or changes one: the seed's driver_configs
// columns. Times are milliseconds, sizes bytes. `protocol` is free text (up to 50 characters),
// as in the seed, so that plugin drivers can name their own.
import { z } from 'zod';
import { jsonObject, name, optionalText, positiveInt32, text, oneOf } from '../api/api-schemas.ts';

export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

const nonNegativeInt32 = z.int('must be a whole number').min(0, 'must not be negative').max(2_147_483_647);
const filePath = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? null : value),
  text(4_096).nullish(),
);

export const driverConfigFields = z.object({
  name: name(255),
  description: optionalText(10_000),
  protocol: name(50),
  /** e.g. tcp, serial, tls */
  connectionType: name(50),
  enabled: z.boolean('must be true or false').optional(),
  config: jsonObject.optional(),
  scanInterval: positiveInt32.optional(),
  timeout: positiveInt32.optional(),
  maxConcurrent: positiveInt32.optional(),
  batchSize: positiveInt32.optional(),
  maxRetries: nonNegativeInt32.optional(),
  retryInterval: nonNegativeInt32.optional(),
  exponentialBackoff: z.boolean().optional(),
  maxRetryInterval: nonNegativeInt32.optional(),
  logLevel: oneOf(LOG_LEVELS).optional(),
  enableRequestLog: z.boolean().optional(),
  enableResponseLog: z.boolean().optional(),
  maxLogSize: positiveInt32.optional(),
  enableSsl: z.boolean().optional(),
  verifyCertificate: z.boolean().optional(),
  clientCertPath: filePath,
  clientKeyPath: filePath,
  caCertPath: filePath,
});
