// InfluxDB's RFC 3339 times with up to nine fraction digits, to exact nanoseconds (a JS number
// cannot hold today's time in ns, so results are asked for as strings, not as epoch=ns).
const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/;

export function rfc3339ToNs(text: string): bigint {
  const match = RFC3339.exec(text);
  if (!match) throw new Error(`"${text}" is not an RFC 3339 UTC time`);
  const seconds = Date.parse(`${match[1]}Z`);
  if (Number.isNaN(seconds)) throw new Error(`"${text}" is not an RFC 3339 UTC time`);
  return BigInt(seconds) * 1_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}
