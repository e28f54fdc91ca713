// An example plugin driver for the gateway's Custom protocol (driver API 1). A plugin is an ES
// module exporting apiVersion, name, version, description and createDriver(); the driver it
// creates implements initialise / connect / scan / write / shutdown with plain data (it runs in
// a worker thread and talks to the gateway by message). Register it as an administrator with
// its sha256 (README, "Plugin drivers").
//
// Tag addresses: "counter" (counts up by one per scan), "constant:<number>", "echo" (the last
// value written to it), "sine:<periodMs>".
export const apiVersion = 1;
export const name = 'Counter example';
export const version = '1.0.0';
export const description = 'Example plugin: counters, constants, sine waves and an echo register';

export function createDriver() {
  const groups = new Map();
  const echoes = new Map();
  let counter = 0;
  return {
    initialise(init) {
      for (const group of init.groups) groups.set(group.id, group.tags);
    },
    connect() {},
    scan(groupId) {
      counter += 1;
      const readings = (groups.get(groupId) ?? []).map((tag) => {
        const [kind, argument] = tag.address.split(':');
        if (kind === 'counter') return { tagId: tag.id, ok: true, raw: counter };
        if (kind === 'constant') return { tagId: tag.id, ok: true, raw: Number(argument) };
        if (kind === 'echo') return { tagId: tag.id, ok: true, raw: echoes.get(tag.id) ?? 0 };
        if (kind === 'sine') {
          return { tagId: tag.id, ok: true, raw: Math.sin((2 * Math.PI * Date.now()) / Number(argument || 1000)) };
        }
        return {
          tagId: tag.id,
          ok: false,
          quality: 2,
          reason: 8,
          errorCode: 0,
          message: `unknown address '${tag.address}' (use counter, constant:N, echo or sine:ms)`,
        };
      });
      return { readings, answered: true };
    },
    write(tag, raw) {
      if (!tag.address.startsWith('echo'))
        return { ok: false, message: 'only echo tags can be written', reason: 8, errorCode: 0 };
      echoes.set(tag.id, raw);
      return { ok: true, readBack: raw };
    },
    shutdown() {},
  };
}
