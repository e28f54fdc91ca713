// The code a plugin worker runs: it imports the plugin module and answers the gateway's calls
// (initialise, connect, scan, write, shutdown, describe) by message. It is kept as source text
// and started with `eval`, so the same worker runs under tests, the headless server and the
// packaged app without a separate bundle entry. Everything a plugin returns crosses the thread
// boundary by structured clone: plain data only.
export const PLUGIN_HOST_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let plugin;
let driver;
async function load() {
  plugin ??= await import(workerData.url);
  return plugin;
}
function describe(mod) {
  return {
    apiVersion: mod.apiVersion,
    name: typeof mod.name === 'string' ? mod.name : undefined,
    version: typeof mod.version === 'string' ? mod.version : undefined,
    description: typeof mod.description === 'string' ? mod.description : undefined,
    hasCreateDriver: typeof mod.createDriver === 'function',
  };
}
parentPort.on('message', async ({ id, method, args }) => {
  try {
    const mod = await load();
    let value;
    if (method === 'describe') {
      value = describe(mod);
    } else {
      if (!driver) driver = await mod.createDriver();
      if (typeof driver[method] !== 'function') throw new Error('the plugin driver has no ' + method + '()');
      value = await driver[method](...args);
    }
    parentPort.postMessage({ id, ok: true, value });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: error && error.message ? String(error.message) : String(error) });
  }
});
`;
