// The preload script runs in the sandboxed renderer before the page. It exposes the API's
// message bridge as window.gatewayApi and nothing else: the page's tRPC client
// (renderer/src/api/ipc-link.ts) sends requests through it and receives the answers. No
// Electron object, no ipcRenderer and no event reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_CHANNEL, isIpcRequest, type GatewayBridge, type IpcResponse } from '../common/ipc-api-protocol.ts';

const bridge: GatewayBridge = {
  send(request) {
    if (!isIpcRequest(request)) throw new TypeError('Not an API request');
    ipcRenderer.send(API_CHANNEL, request);
  },
  onMessage(listener) {
    const forward = (_event: IpcRendererEvent, response: IpcResponse): void => listener(response);
    ipcRenderer.on(API_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(API_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('gatewayApi', bridge);
