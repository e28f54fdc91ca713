// The headless server answers GET STARTUP_PATH with the gateway's start state (StartupState, the
// first thing system.startup reports) over plain HTTP: the browser page shows its form from it
// before the API's modules have loaded on the server, which the WebSocket's first call waits for.
export const STARTUP_PATH = '/api/startup';
