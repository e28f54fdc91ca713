// The OPC UA server the tests and the benchmark talk to, run in its own process (node-opcua's
// server, another implementation of the stack than the client we test only by its shared code):
// security None and Basic256Sha256 (Sign, SignAndEncrypt), anonymous and one username user, a
// "Plant" folder of a few hundred variables, a "Big" folder of more than a thousand children
// (browse continuation points) and, for the benchmark, N variables that change every changeMs.
// Its certificate names localhost and 127.0.0.1 and its applicationUri, or, to test the
// classic failures, another host, another applicationUri or a validity that has ended.
// Started by opcua-server.ts with its settings as JSON in argv[2]; prints READY once listening.
import path from 'node:path';
import {
  DataType,
  DataValue,
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAServer,
  SecurityPolicy,
  StatusCodes,
  Variant,
  type Namespace,
  type UAObject,
} from 'node-opcua';

export interface OpcUaTestServerSpec {
  port: number;
  pkiDir: string;
  plantVariables: number;
  bigFolderChildren: number;
  benchVariables: number;
  benchChangeMs: number;
  /** OperationLimits.MaxMonitoredItemsPerCall (a PLC's limit is often far below 20,000) */
  maxMonitoredItemsPerCall: number;
  user: { userName: string; password: string };
  /** (re)issue the server's certificate with these names before starting (the first start only) */
  issueCertificate: OpcUaTestServerCertificate | undefined;
}

export interface OpcUaTestServerCertificate {
  dns: string[];
  ip: string[];
  /** the URI in the certificate (the server's own applicationUri when omitted) */
  applicationUri?: string;
  /** a certificate whose validity ended yesterday */
  expired?: boolean;
}

export const OPCUA_TEST_SERVER_URI = 'urn:gateway-test:opcua-server';

const spec = JSON.parse(process.argv[2] as string) as OpcUaTestServerSpec;

function addPlant(namespace: Namespace, objects: UAObject): void {
  const plant = namespace.addFolder(objects, { browseName: 'Plant', nodeId: 's=Plant' });
  const started = Date.now();
  namespace.addVariable({
    organizedBy: plant,
    browseName: 'Temperature',
    nodeId: 's=Plant.Temperature',
    dataType: 'Double',
    minimumSamplingInterval: 50,
    value: {
      get: () => new Variant({ dataType: DataType.Double, value: 20 + (((Date.now() - started) / 100) % 50) }),
    },
  });
  namespace.addVariable({
    organizedBy: plant,
    browseName: 'Counter',
    nodeId: 's=Plant.Counter',
    dataType: 'UInt32',
    minimumSamplingInterval: 50,
    value: {
      get: () => new Variant({ dataType: DataType.UInt32, value: Math.floor((Date.now() - started) / 100) }),
    },
  });
  let setpoint = 12.5;
  namespace.addVariable({
    organizedBy: plant,
    browseName: 'Setpoint',
    nodeId: 's=Plant.Setpoint',
    dataType: 'Double',
    accessLevel: 'CurrentRead | CurrentWrite',
    userAccessLevel: 'CurrentRead | CurrentWrite',
    value: {
      get: () => new Variant({ dataType: DataType.Double, value: setpoint }),
      set: (variant: Variant) => {
        setpoint = variant.value as number;
        return StatusCodes.Good;
      },
    },
  });
  namespace.addVariable({
    organizedBy: plant,
    browseName: 'Running',
    nodeId: 's=Plant.Running',
    dataType: 'Boolean',
    value: { dataType: DataType.Boolean, value: true },
  });
  namespace.addVariable({
    organizedBy: plant,
    browseName: 'Recipe',
    nodeId: 's=Plant.Recipe',
    dataType: 'String',
    // read-only: the attributes panel's access level and the tag it suggests
    accessLevel: 'CurrentRead',
    userAccessLevel: 'CurrentRead',
    value: { dataType: DataType.String, value: 'Batch-7' },
  });
  // A sensor whose value the server itself marks as uncertain: its quality must reach the tag.
  namespace.addVariable({
    organizedBy: plant,
    browseName: 'Flow',
    nodeId: 's=Plant.Flow',
    dataType: 'Double',
    value: {
      timestamped_get: () =>
        new DataValue({
          value: new Variant({ dataType: DataType.Double, value: 3.5 }),
          statusCode: StatusCodes.UncertainLastUsableValue,
          sourceTimestamp: new Date(started),
        }),
    },
  });
  for (let i = 0; i < spec.plantVariables; i++) {
    const name = `Var${String(i).padStart(3, '0')}`;
    namespace.addVariable({
      organizedBy: plant,
      browseName: name,
      nodeId: `s=Plant.${name}`,
      dataType: 'Double',
      value: { dataType: DataType.Double, value: i * 1.5 },
    });
  }
}

function addBigFolder(namespace: Namespace, objects: UAObject): void {
  const big = namespace.addFolder(objects, { browseName: 'Big', nodeId: 's=Big' });
  for (let i = 0; i < spec.bigFolderChildren; i++) {
    const name = `Item${String(i).padStart(4, '0')}`;
    namespace.addVariable({
      organizedBy: big,
      browseName: name,
      nodeId: `s=Big.${name}`,
      dataType: 'Int32',
      value: { dataType: DataType.Int32, value: i },
    });
  }
}

function addBenchVariables(namespace: Namespace, objects: UAObject): void {
  if (spec.benchVariables <= 0) return;
  const bench = namespace.addFolder(objects, { browseName: 'Bench', nodeId: 's=Bench' });
  for (let i = 0; i < spec.benchVariables; i++) {
    namespace.addVariable({
      organizedBy: bench,
      browseName: `B${i}`,
      nodeId: `s=Bench.${i}`,
      dataType: 'Double',
      minimumSamplingInterval: 50,
      value: {
        get: () => new Variant({ dataType: DataType.Double, value: Math.floor(Date.now() / spec.benchChangeMs) + i }),
      },
    });
  }
}

const certificateManager = new OPCUACertificateManager({
  rootFolder: spec.pkiDir,
  automaticallyAcceptUnknownCertificate: true,
});
if (spec.issueCertificate) {
  const { dns, ip, applicationUri, expired } = spec.issueCertificate;
  await certificateManager.initialize();
  const day = 24 * 3600 * 1000;
  await certificateManager.createSelfSignedCertificate({
    outputFile: path.join(spec.pkiDir, 'own', 'certs', 'certificate.pem'),
    subject: '/CN=Gateway test OPC UA server/O=Gateway Workstation tests',
    applicationUri: applicationUri ?? OPCUA_TEST_SERVER_URI,
    dns,
    ip,
    startDate: new Date(Date.now() - (expired ? 10 * day : day)),
    validity: expired ? 9 : 365,
  });
}

const server = new OPCUAServer({
  port: spec.port,
  host: '127.0.0.1',
  hostname: 'localhost',
  resourcePath: '',
  serverCertificateManager: certificateManager,
  securityModes: [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
  securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256, SecurityPolicy.Aes128_Sha256_RsaOaep],
  allowAnonymous: true,
  disableDiscovery: true,
  userManager: {
    isValidUser: (userName: string, password: string) =>
      userName === spec.user.userName && password === spec.user.password,
  },
  serverCapabilities: {
    maxSessions: 50,
    maxSubscriptions: 20_000,
    maxSubscriptionsPerSession: 20_000,
    maxMonitoredItems: 100_000,
    maxMonitoredItemsPerSubscription: 100_000,
    maxBrowseContinuationPoints: 10,
    operationLimits: {
      maxNodesPerBrowse: 5000,
      maxNodesPerRead: 20_000,
      maxNodesPerWrite: 1000,
      maxMonitoredItemsPerCall: spec.maxMonitoredItemsPerCall,
    },
  },
  buildInfo: { productName: 'Gateway test OPC UA server', buildNumber: '1' },
  serverInfo: { applicationUri: OPCUA_TEST_SERVER_URI },
});

await server.initialize();
const addressSpace = server.engine.addressSpace;
if (!addressSpace) throw new Error('the server has no address space');
const namespace = addressSpace.getOwnNamespace();
const objects = addressSpace.rootFolder.objects;
addPlant(namespace, objects);
addBigFolder(namespace, objects);
addBenchVariables(namespace, objects);
await server.start();
process.stdout.write(`READY ${namespace.index}\n`);

const shutdown = () => {
  void server.shutdown(0).finally(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.stdin.on('end', shutdown);
process.stdin.resume();
