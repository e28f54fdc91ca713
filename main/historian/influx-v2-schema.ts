// The seed's 1.x design on InfluxDB 2.x: a bucket per retention policy (raw 6 months, hourly 2
// years, daily 5 years) and a downsampling task per continuous query, created (or brought in
// line) at connect through the official client's management APIs.
import type { InfluxDB } from '@influxdata/influxdb-client';
import { BucketsAPI, OrgsAPI, TasksAPI } from '@influxdata/influxdb-client-apis';

const DAY_SECONDS = 86_400;

export interface V2Buckets {
  raw: string;
  hourly: string;
  daily: string;
}

export function v2Buckets(bucket: string): V2Buckets {
  return { raw: bucket, hourly: `${bucket}_hourly`, daily: `${bucket}_daily` };
}

const BUCKET_RETENTION_SECONDS: Record<keyof V2Buckets, number> = {
  raw: 183 * DAY_SECONDS,
  hourly: 730 * DAY_SECONDS,
  daily: 1826 * DAY_SECONDS,
};

const fluxString = (value: string): string => JSON.stringify(value);

/** The three downsampling tasks: Flux equivalents of the seed's continuous queries. */
export function downsamplingTasks(org: string, buckets: V2Buckets): { name: string; flux: string }[] {
  const window = (
    every: string,
    source: string,
    measurement: string,
    fields: [string, string, string][],
    group: string[],
  ) =>
    [
      `data = from(bucket: ${fluxString(source)})`,
      `  |> range(start: -task.every)`,
      `  |> filter(fn: (r) => r._measurement == ${fluxString(measurement)})`,
      `  |> group(columns: [${group.map(fluxString).join(', ')}, "_field"])`,
      `agg = (field, fn, as) => data`,
      `  |> filter(fn: (r) => r._field == field)`,
      `  |> aggregateWindow(every: ${every}, fn: fn, createEmpty: false, timeSrc: "_start")`,
      `  |> map(fn: (r) => ({r with _value: float(v: r._value), _field: as}))`,
      `union(tables: [${fields.map(([field, fn, as]) => `agg(field: ${fluxString(field)}, fn: ${fn}, as: ${fluxString(as)})`).join(', ')}])`,
    ].join('\n');
  const device = ['device_id', 'tag_name', 'unit'];
  return [
    {
      name: 'cq_hourly_device_data',
      flux: [
        `option task = {name: "cq_hourly_device_data", every: 1h, offset: 1m}`,
        window(
          '1h',
          buckets.raw,
          'device_data',
          [
            ['value', 'mean', 'mean_value'],
            ['value', 'min', 'min_value'],
            ['value', 'max', 'max_value'],
            ['value', 'count', 'sample_count'],
            ['value', 'stddev', 'stddev_value'],
          ],
          device,
        ),
        `  |> set(key: "_measurement", value: "device_data_hourly")`,
        `  |> to(bucket: ${fluxString(buckets.hourly)}, org: ${fluxString(org)})`,
      ].join('\n'),
    },
    {
      name: 'cq_daily_device_data',
      flux: [
        `option task = {name: "cq_daily_device_data", every: 1d, offset: 10m}`,
        window(
          '1d',
          buckets.hourly,
          'device_data_hourly',
          [
            ['mean_value', 'mean', 'mean_value'],
            ['min_value', 'min', 'min_value'],
            ['max_value', 'max', 'max_value'],
            ['sample_count', 'sum', 'total_samples'],
          ],
          device,
        ),
        `  |> set(key: "_measurement", value: "device_data_daily")`,
        `  |> to(bucket: ${fluxString(buckets.daily)}, org: ${fluxString(org)})`,
      ].join('\n'),
    },
    {
      name: 'cq_hourly_system_metrics',
      flux: [
        `option task = {name: "cq_hourly_system_metrics", every: 1h, offset: 1m}`,
        window(
          '1h',
          buckets.raw,
          'system_metrics',
          [
            ['cpu_usage', 'mean', 'avg_cpu_usage'],
            ['cpu_usage', 'max', 'max_cpu_usage'],
            ['memory_usage', 'mean', 'avg_memory_usage'],
            ['memory_usage', 'max', 'max_memory_usage'],
            ['throughput', 'mean', 'avg_throughput'],
            ['throughput', 'max', 'max_throughput'],
            ['latency_p99', 'mean', 'avg_latency_p99'],
            ['latency_p99', 'max', 'max_latency_p99'],
          ],
          ['component', 'host'],
        ),
        `  |> set(key: "_measurement", value: "system_metrics_hourly")`,
        `  |> to(bucket: ${fluxString(buckets.hourly)}, org: ${fluxString(org)})`,
      ].join('\n'),
    },
  ];
}

/** Creates the buckets and tasks, fixing retention periods and task scripts that differ. */
export async function prepareInfluxV2(influx: InfluxDB, org: string, buckets: V2Buckets): Promise<void> {
  const orgs = await new OrgsAPI(influx).getOrgs({ org });
  const orgID = orgs.orgs?.find((o) => o.name === org)?.id;
  if (!orgID) throw new Error(`InfluxDB has no organization named "${org}" (historian.influxdb.org)`);
  const bucketsApi = new BucketsAPI(influx);
  for (const kind of Object.keys(buckets) as (keyof V2Buckets)[]) {
    const name = buckets[kind];
    const everySeconds = BUCKET_RETENTION_SECONDS[kind];
    const found = (await bucketsApi.getBuckets({ orgID, name })).buckets?.find((b) => b.name === name);
    if (!found) {
      await bucketsApi.postBuckets({ body: { orgID, name, retentionRules: [{ type: 'expire', everySeconds }] } });
    } else if (found.retentionRules?.[0]?.everySeconds !== everySeconds && found.id) {
      await bucketsApi.patchBucketsID({
        bucketID: found.id,
        body: { retentionRules: [{ type: 'expire', everySeconds }] },
      });
    }
  }
  const tasksApi = new TasksAPI(influx);
  for (const task of downsamplingTasks(org, buckets)) {
    const found = (await tasksApi.getTasks({ orgID, name: task.name })).tasks?.find((t) => t.name === task.name);
    if (!found) await tasksApi.postTasks({ body: { orgID, flux: task.flux } });
    else if (found.flux !== task.flux) await tasksApi.patchTasksID({ taskID: found.id, body: { flux: task.flux } });
  }
}
