// A small InfluxDB 1.x HTTP client: /ping, /query (InfluxQL) and /write (line protocol, gzip).
// The official JavaScript client speaks the 2.x API; 1.8 has a 2.x compatibility endpoint, but
// the 1.6/1.7 servers still in plants do not, so 1.x is spoken natively here.
import { promisify } from 'node:util';
import { constants, gzip, type ZlibOptions } from 'node:zlib';
import { RetryableWriteError } from './historian-backend.ts';
import type { LineBatch } from './influx-line-batch.ts';

const gzipAsync = promisify(gzip);

/**
 * Write bodies are gzip'd at the fastest level: line protocol repeats its series keys, so even
 * level 1 shrinks a batch ~10×, at a fraction of the CPU time of the default level 6
 * (bench:historian prints both). Output chunks of 64 KB instead of zlib's 16 KB: a 5,000-line
 * body (~100 KB gzip'd) takes two trips to the thread pool instead of seven.
 */
export const GZIP_OPTIONS: ZlibOptions = { level: constants.Z_BEST_SPEED, chunkSize: 64 * 1024 };

export interface InfluxV1Options {
  url: string;
  database: string;
  username?: string | undefined;
  password?: string | undefined;
  /** per request (default 30 s, the seed's coordinator write-timeout) */
  timeoutMs?: number;
  /** compress write bodies (default true) */
  gzip?: boolean;
}

export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values?: unknown[][];
}

export interface InfluxStatementResult {
  statement_id: number;
  series?: InfluxSeries[];
  error?: string;
}

/** A refusal of the whole request or part of it that resending cannot fix (HTTP 400). */
export class InfluxBadRequestError extends Error {
  override readonly name = 'InfluxBadRequestError';
  /** true when the server wrote the other lines ("partial write") */
  readonly partial: boolean;
  constructor(message: string) {
    super(message);
    this.partial = /partial write/i.test(message);
  }
}

export class InfluxQueryError extends Error {
  override readonly name = 'InfluxQueryError';
}

/** Quotes an InfluxQL identifier (measurement, tag, field, database, policy): always quoted. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Quotes an InfluxQL string literal (a tag value in WHERE). */
export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export class InfluxV1Client {
  private readonly base: string;
  private readonly headers: Record<string, string>;
  readonly database: string;

  constructor(private readonly options: InfluxV1Options) {
    this.base = options.url.replace(/\/+$/, '');
    this.database = options.database;
    this.headers = {};
    if (options.username) {
      const token = Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64');
      this.headers.authorization = `Basic ${token}`;
    }
  }

  get url(): string {
    return this.base;
  }

  /** The server's version, or a thrown error when it cannot be reached. */
  async ping(): Promise<string> {
    const response = await this.request('/ping', { method: 'GET' });
    return response.headers.get('x-influxdb-version') ?? 'unknown';
  }

  /**
   * Runs InfluxQL; `write` statements (CREATE, ALTER, DROP, SELECT … INTO) go by POST. Times in
   * results are RFC 3339 strings unless `epoch` is given (ms fits a JS number, ns does not).
   */
  async query(
    statements: string,
    options: { write?: boolean; epoch?: 'ms' | 's'; database?: boolean } = {},
  ): Promise<InfluxStatementResult[]> {
    const params = new URLSearchParams({ q: statements });
    if (options.database !== false) params.set('db', this.database);
    if (options.epoch) params.set('epoch', options.epoch);
    const response = await this.request(`/query`, {
      method: options.write ? 'POST' : 'GET',
      query: params,
    });
    const body = (await response.json()) as { results?: InfluxStatementResult[]; error?: string };
    if (body.error) throw new InfluxQueryError(body.error);
    const results = body.results ?? [];
    const failed = results.find((result) => result.error);
    if (failed) throw new InfluxQueryError(`${failed.error} (in: ${statements.slice(0, 300)})`);
    return results;
  }

  /**
   * Writes lines to a retention policy with nanosecond times. Resolves on 204; throws
   * InfluxBadRequestError on 400, RetryableWriteError on everything that may pass.
   */
  async write(lines: LineBatch, retentionPolicy?: string): Promise<void> {
    const params = new URLSearchParams({ db: this.database, precision: 'ns' });
    if (retentionPolicy) params.set('rp', retentionPolicy);
    const compress = this.options.gzip ?? true;
    // a plain Uint8Array over its own ArrayBuffer: what fetch's BodyInit takes
    const body = new Uint8Array(compress ? await gzipAsync(lines.bytes, GZIP_OPTIONS) : lines.bytes);
    const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
    if (compress) headers['content-encoding'] = 'gzip';
    await this.request('/write', { method: 'POST', query: params, body, headers });
  }

  private async request(
    path: string,
    init: { method: string; query?: URLSearchParams; body?: Uint8Array<ArrayBuffer>; headers?: Record<string, string> },
  ): Promise<Response> {
    const url = `${this.base}${path}${init.query ? `?${init.query.toString()}` : ''}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: init.method,
        headers: { ...this.headers, ...init.headers },
        body: init.body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new RetryableWriteError(`InfluxDB at ${this.base} cannot be reached (${reason})`, undefined, {
        cause: error,
      });
    }
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    let message = text;
    try {
      message = (JSON.parse(text) as { error?: string }).error ?? text;
    } catch {
      // not JSON: keep the text
    }
    message = message.trim() || response.statusText;
    if (response.status === 400) throw new InfluxBadRequestError(message);
    if (response.status === 401 || response.status === 403) {
      throw new RetryableWriteError(
        `InfluxDB at ${this.base} refused the credentials (${response.status}: ${message}); check historian.influxdb.username and password`,
        response.status,
      );
    }
    throw new RetryableWriteError(`InfluxDB at ${this.base} answered ${response.status}: ${message}`, response.status);
  }
}
