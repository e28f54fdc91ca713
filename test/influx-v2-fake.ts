// A stand-in for an InfluxDB 2.x server (none can run on the build machine): a loopback HTTP
// server that answers the few endpoints the historian uses the way the 2.x API documents them,
// and checks and records each request's format, so the tests can assert what was sent.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface InfluxV2Fake {
  url: string;
  requests: RecordedRequest[];
  /** lines stored per bucket */
  lines: Map<string, string[]>;
  buckets: { id: string; orgID: string; name: string; retentionRules: { type: string; everySeconds: number }[] }[];
  tasks: { id: string; orgID: string; name: string; flux: string }[];
  /** the next write answers: a status and body, or undefined to store the lines */
  failNextWrites: { status: number; body: string }[];
  /** a write holding a line that contains this text is refused with 400 as a whole */
  refuseLinesContaining: string | undefined;
  /** CSV to answer the next Flux query with */
  queryAnswer: string;
  close(): Promise<void>;
}

export const FAKE_ORG = { id: '0000000000000001', name: 'plant' };
const TOKEN = 'test-token';
export const FAKE_TOKEN = TOKEN;

/** InfluxDB line protocol, loosely: measurement[,tags] fields time-in-ns */
const LINE = /^[a-z_]+(?:,(?:\\.|[^ ,=\\])+=(?:\\.|[^ ,\\])+)* [a-z_]+=[^ ,]+(?:,[a-z_]+=[^ ,]+)* \d{19}$/;

export async function startInfluxV2Fake(): Promise<InfluxV2Fake> {
  const fake = {
    requests: [] as RecordedRequest[],
    lines: new Map<string, string[]>(),
    buckets: [] as InfluxV2Fake['buckets'],
    tasks: [] as InfluxV2Fake['tasks'],
    failNextWrites: [] as { status: number; body: string }[],
    refuseLinesContaining: undefined as string | undefined,
    queryAnswer: '',
  };
  let ids = 100;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      let raw = Buffer.concat(chunks);
      if (request.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
      const recorded = {
        method: request.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: request.headers,
        body: raw.toString(),
      };
      fake.requests.push(recorded);
      const answer = (status: number, body?: unknown, type = 'application/json') => {
        response.writeHead(status, body === undefined ? {} : { 'content-type': type });
        response.end(body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
      };
      if (request.headers.authorization !== `Token ${TOKEN}`)
        return answer(401, { code: 'unauthorized', message: 'unauthorized access' });
      const route = `${request.method} ${url.pathname}`;
      const json = () => JSON.parse(recorded.body) as Record<string, unknown>;
      switch (route) {
        case 'GET /api/v2/orgs':
          return answer(200, { orgs: url.searchParams.get('org') === FAKE_ORG.name ? [FAKE_ORG] : [] });
        case 'GET /api/v2/buckets':
          return answer(200, {
            buckets: fake.buckets.filter(
              (b) => b.name === url.searchParams.get('name') && b.orgID === url.searchParams.get('orgID'),
            ),
          });
        case 'POST /api/v2/buckets': {
          const body = json() as InfluxV2Fake['buckets'][number];
          if (body.orgID !== FAKE_ORG.id || !body.name || body.retentionRules?.[0]?.type !== 'expire') {
            return answer(400, { code: 'invalid', message: 'bad bucket' });
          }
          const bucket = { ...body, id: String(ids++) };
          fake.buckets.push(bucket);
          return answer(201, bucket);
        }
        case 'GET /api/v2/tasks':
          return answer(200, { tasks: fake.tasks.filter((t) => t.name === url.searchParams.get('name')) });
        case 'POST /api/v2/tasks': {
          const body = json() as { orgID: string; flux: string };
          const name = /option task = \{name: "([^"]+)"/.exec(body.flux)?.[1];
          if (body.orgID !== FAKE_ORG.id || !name) return answer(400, { code: 'invalid', message: 'bad task' });
          const task = { id: String(ids++), orgID: body.orgID, name, flux: body.flux };
          fake.tasks.push(task);
          return answer(201, task);
        }
        case 'POST /api/v2/write': {
          if (url.searchParams.get('org') !== FAKE_ORG.name || url.searchParams.get('precision') !== 'ns') {
            return answer(400, { code: 'invalid', message: 'org and precision=ns expected' });
          }
          const failure = fake.failNextWrites.shift();
          if (failure) return answer(failure.status, failure.body);
          const lines = recorded.body.split('\n').filter((line) => line.length > 0);
          const bad = lines.find(
            (line) => !LINE.test(line) || (fake.refuseLinesContaining && line.includes(fake.refuseLinesContaining)),
          );
          if (bad) return answer(400, { code: 'invalid', message: `unable to parse '${bad}': bad line` });
          const bucket = url.searchParams.get('bucket') ?? '';
          fake.lines.set(bucket, [...(fake.lines.get(bucket) ?? []), ...lines]);
          return answer(204);
        }
        case 'POST /api/v2/query': {
          const body = json() as { query?: string };
          if (url.searchParams.get('org') !== FAKE_ORG.name || typeof body.query !== 'string') {
            return answer(400, { code: 'invalid', message: 'org and a Flux query expected' });
          }
          return answer(200, fake.queryAnswer, 'text/csv; charset=utf-8');
        }
        default:
          return answer(404, { code: 'not found', message: `${route} is not served here` });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
