// Turns PostgreSQL errors (the same SQLSTATE codes from PGlite and node-postgres) into typed
// errors that name the field and the rule in words. Nothing above the repositories ever sees a
// raw SQL error: the UI shows `message` as is.

export type ConstraintKind = 'unique' | 'check' | 'foreign_key' | 'not_null' | 'invalid_value';

export class ConstraintViolationError extends Error {
  override readonly name = 'ConstraintViolationError';
  constructor(
    readonly kind: ConstraintKind,
    /** the database constraint's name, when PostgreSQL reported one */
    readonly constraint: string | undefined,
    /** the column (in the database's spelling) the problem is about, when known */
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export class RecordNotFoundError extends Error {
  override readonly name = 'RecordNotFoundError';
  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`${resource} ${id} does not exist`);
  }
}

/** Extra words for a message, given by the repository that knows them (e.g. the device's name). */
export type ErrorContext = Record<string, string | number | null | undefined>;

interface PgErrorFields {
  code?: string;
  constraint?: string;
  column?: string;
  detail?: string;
  message?: string;
  table?: string;
}

interface ConstraintRule {
  field: string;
  describe: (values: Record<string, string>, context: ErrorContext) => string;
}

const q = (value: unknown): string => `'${String(value)}'`;

/** Every named constraint of the schema, with the sentence a user reads when it is violated. */
const CONSTRAINTS: Record<string, ConstraintRule> = {
  // UNIQUE
  devices_name_key: { field: 'name', describe: (v) => `a device named ${q(v.name)} already exists` },
  tags_device_name_unique: {
    field: 'name',
    describe: (v, c) => `a tag named ${q(v.name)} already exists on device ${q(c.deviceName ?? v.device_id)}`,
  },
  alert_rules_name_key: { field: 'name', describe: (v) => `an alert rule named ${q(v.name)} already exists` },
  driver_configs_name_key: {
    field: 'name',
    describe: (v) => `a driver configuration named ${q(v.name)} already exists`,
  },
  driver_registry_pkey: {
    field: 'protocol',
    describe: (v) => `a driver is already registered for protocol ${q(v.protocol)}`,
  },
  users_username_key: { field: 'username', describe: (v) => `the username ${q(v.username)} is already taken` },
  users_email_key: { field: 'email', describe: (v) => `the e-mail address ${q(v.email)} is already in use` },
  trend_sets_user_name_key: { field: 'name', describe: (v) => `you already have a trend set named ${q(v.name)}` },
  user_sessions_token_hash_key: { field: 'token_hash', describe: () => 'this session token already exists' },
  // CHECK
  devices_name_not_empty: { field: 'name', describe: () => 'the device name must not be empty' },
  devices_endpoint_not_empty: { field: 'endpoint', describe: () => 'the device endpoint must not be empty' },
  tags_name_not_empty: { field: 'name', describe: () => 'the tag name must not be empty' },
  tags_address_not_empty: { field: 'address', describe: () => 'the tag address must not be empty' },
  tags_scaling_positive: { field: 'scaling', describe: () => 'the scaling factor must be greater than 0' },
  tags_scan_rate_positive: {
    field: 'scan_rate',
    describe: () => 'the scan rate must be greater than 0 ms (or left empty)',
  },
  tags_min_max_order: {
    field: 'min_value',
    describe: () => 'the minimum value must not be greater than the maximum value',
  },
  alert_rules_name_not_empty: { field: 'name', describe: () => 'the alert rule name must not be empty' },
  alert_rules_threshold_check: {
    field: 'threshold_value',
    describe: () =>
      'BETWEEN and NOT_BETWEEN need both a low and a high threshold; every other operator needs a threshold value',
  },
  alert_rules_deadband_not_negative: { field: 'deadband', describe: () => 'the deadband must not be negative' },
  alert_history_resolved_after_fired: {
    field: 'resolved_at',
    describe: () => 'an alert cannot be resolved before it fired',
  },
  alert_history_ack_after_fired: {
    field: 'acknowledged_at',
    describe: () => 'an alert cannot be acknowledged before it fired',
  },
  driver_registry_name_not_empty: { field: 'name', describe: () => 'the driver name must not be empty' },
  driver_registry_version_not_empty: { field: 'version', describe: () => 'the driver version must not be empty' },
  driver_configs_name_not_empty: {
    field: 'name',
    describe: () => 'the driver configuration name must not be empty',
  },
  driver_configs_scan_interval_positive: {
    field: 'scan_interval',
    describe: () => 'the scan interval must be greater than 0 ms',
  },
  driver_configs_timeout_positive: { field: 'timeout', describe: () => 'the timeout must be greater than 0 ms' },
  driver_configs_max_concurrent_positive: {
    field: 'max_concurrent',
    describe: () => 'the maximum number of concurrent requests must be greater than 0',
  },
  driver_configs_batch_size_positive: {
    field: 'batch_size',
    describe: () => 'the batch size must be greater than 0',
  },
  users_username_not_empty: { field: 'username', describe: () => 'the username must not be empty' },
  users_email_format: {
    field: 'email',
    describe: (_v, c) => `${c.email ? q(c.email) : 'the e-mail address'} is not a valid e-mail address`,
  },
  users_failed_attempts_non_negative: {
    field: 'failed_login_attempts',
    describe: () => 'the failed login count cannot be negative',
  },
  user_sessions_expires_after_created: {
    field: 'expires_at',
    describe: () => 'a session must expire after it was created',
  },
  trend_sets_name_not_empty: { field: 'name', describe: () => 'the trend set name must not be empty' },
  audit_logs_action_not_empty: { field: 'action', describe: () => 'an audit entry needs an action' },
  // FOREIGN KEY (violated on insert or update: the referenced row does not exist)
  tags_device_id_fkey: {
    field: 'device_id',
    describe: (v) => `device ${q(v.device_id)} does not exist`,
  },
  alert_rules_device_id_fkey: { field: 'device_id', describe: (v) => `device ${q(v.device_id)} does not exist` },
  alert_rules_tag_id_fkey: { field: 'tag_id', describe: (v) => `tag ${q(v.tag_id)} does not exist` },
  alert_history_rule_id_fkey: { field: 'rule_id', describe: (v) => `alert rule ${q(v.rule_id)} does not exist` },
  alert_rule_state_rule_id_fkey: { field: 'rule_id', describe: (v) => `alert rule ${q(v.rule_id)} does not exist` },
  alert_history_device_id_fkey: { field: 'device_id', describe: (v) => `device ${q(v.device_id)} does not exist` },
  alert_history_tag_id_fkey: { field: 'tag_id', describe: (v) => `tag ${q(v.tag_id)} does not exist` },
  user_sessions_user_id_fkey: { field: 'user_id', describe: (v) => `user ${q(v.user_id)} does not exist` },
  audit_logs_user_id_fkey: { field: 'user_id', describe: (v) => `user ${q(v.user_id)} does not exist` },
  trend_sets_user_id_fkey: { field: 'user_id', describe: (v) => `user ${q(v.user_id)} does not exist` },
  users_created_by_fkey: { field: 'created_by', describe: (v) => `user ${q(v.created_by)} does not exist` },
};

export function knownConstraintNames(): string[] {
  return Object.keys(CONSTRAINTS);
}

/** drizzle wraps driver errors in DrizzleQueryError; the PostgreSQL fields live on its cause. */
function pgFields(error: unknown): PgErrorFields | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const fields = current as PgErrorFields & { cause?: unknown };
    if (typeof fields.code === 'string' && /^[0-9A-Z]{5}$/.test(fields.code)) return fields;
    current = fields.cause;
  }
  return undefined;
}

/** "Key (device_id, name)=(…, T1) already exists." → { device_id: '…', name: 'T1' } */
export function parseKeyDetail(detail: string | undefined): Record<string, string> {
  const match = detail ? /Key \((.+?)\)=\((.*)\)/.exec(detail) : null;
  if (!match) return {};
  const columns = (match[1] as string).split(', ');
  const values = (match[2] as string).split(', ');
  // Values may themselves contain ", ": give the last column whatever is left.
  const result: Record<string, string> = {};
  columns.forEach((column, index) => {
    result[column] = index === columns.length - 1 ? values.slice(index).join(', ') : (values[index] ?? '');
  });
  return result;
}

/**
 * Returns a ConstraintViolationError for a PostgreSQL constraint error, or the error unchanged
 * when it is something else (a lost connection must not be disguised as bad input).
 */
export function translateDatabaseError(error: unknown, context: ErrorContext = {}): unknown {
  const pgError = pgFields(error);
  if (!pgError) return error;
  const rule = pgError.constraint ? CONSTRAINTS[pgError.constraint] : undefined;
  const values = parseKeyDetail(pgError.detail);
  switch (pgError.code) {
    case '23505':
      return new ConstraintViolationError(
        'unique',
        pgError.constraint,
        rule?.field,
        rule ? rule.describe(values, context) : `a record with these values already exists (${pgError.detail ?? ''})`,
      );
    case '23514':
      return new ConstraintViolationError(
        'check',
        pgError.constraint,
        rule?.field,
        rule ? rule.describe(values, context) : `a value breaks the rule ${pgError.constraint ?? '(unnamed)'}`,
      );
    case '23503':
      return new ConstraintViolationError(
        'foreign_key',
        pgError.constraint,
        rule?.field,
        rule ? rule.describe(values, context) : 'a referenced record does not exist',
      );
    case '23502':
      return new ConstraintViolationError(
        'not_null',
        undefined,
        pgError.column,
        `${pgError.column ?? 'a required field'} is required`,
      );
    case '22P02': // invalid text representation: a malformed UUID, an unknown enum label
    case '22001': // string too long for its VARCHAR
    case '22003': // numeric value out of range
    case '22007': // invalid datetime format
    case '22008': // datetime field overflow
      return new ConstraintViolationError('invalid_value', undefined, pgError.column, invalidValueMessage(pgError));
    default:
      return error;
  }
}

function invalidValueMessage(pgError: PgErrorFields): string {
  const message = pgError.message ?? 'invalid value';
  if (pgError.code === '22001') {
    const length = /character varying\((\d+)\)/.exec(message)?.[1];
    return length ? `a text value is longer than the ${length} characters allowed` : 'a text value is too long';
  }
  const enumMatch = /invalid input value for enum (\w+): "(.*)"/.exec(message);
  if (enumMatch) return `${q(enumMatch[2])} is not a valid ${(enumMatch[1] as string).replace(/_/g, ' ')}`;
  const uuidMatch = /invalid input syntax for type uuid: "(.*)"/.exec(message);
  if (uuidMatch) return `${q(uuidMatch[1])} is not a valid id`;
  return message;
}

/** Runs a database call and rethrows constraint errors as ConstraintViolationError. */
export async function withConstraintErrors<T>(work: () => Promise<T>, context: ErrorContext = {}): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateDatabaseError(error, context);
  }
}

/** The record, or RecordNotFoundError when a lookup found none. */
export function requireRecord<T>(record: T | undefined, resource: string, id: string): T {
  if (record === undefined) throw new RecordNotFoundError(resource, id);
  return record;
}

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
const CONNECTION_MESSAGES =
  /PGlite is closed|Connection terminated|connection error|Cannot use a pool after calling end/i;

/**
 * True when an error says the database cannot be reached (server down, connection lost, store
 * closed) rather than that a query was wrong: SQLSTATE class 08 and the server-shutdown codes,
 * socket errors, and the drivers' own words for a closed connection.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (
      typeof code === 'string' &&
      (CONNECTION_ERRORS.has(code) || code.startsWith('08') || /^57P0[1-3]$/.test(code))
    ) {
      return true;
    }
    if (typeof message === 'string' && CONNECTION_MESSAGES.test(message)) return true;
    current = cause;
  }
  return false;
}
