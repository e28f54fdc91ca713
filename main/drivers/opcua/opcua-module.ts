// node-opcua is large (~2 s to import): it is loaded on the first OPC UA connection or browse,
// never at app start. One promise per module, shared by every caller.
import type * as CertificateManagerApi from 'node-opcua-certificate-manager';
import type * as OpcUaClientApi from 'node-opcua-client';

type ClientModule = typeof OpcUaClientApi;
type CertificateManagerModule = typeof CertificateManagerApi;

let client: Promise<ClientModule> | undefined;
let certificates: Promise<CertificateManagerModule> | undefined;

export function loadOpcUaClient(): Promise<ClientModule> {
  client ??= import('node-opcua-client');
  return client;
}

export function loadOpcUaCertificateManager(): Promise<CertificateManagerModule> {
  certificates ??= import('node-opcua-certificate-manager');
  return certificates;
}
