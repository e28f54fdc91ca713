// The OPC UA commissioning API against node-opcua's server in a separate process: endpoint
// discovery, browsing a folder of 1,200 children page by page, reading nodes, an unknown node,
// and the one-click trust of a rejected server certificate (audited, refused to a VIEWER).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, refusalOf, type ApiHarness } from '../../test/api-harness.ts';
import { databaseBackends } from '../../test/database-backends.ts';
import { OPCUA_TEST_USER, startOpcUaServer, type OpcUaTestServer } from '../../test/services/opcua-server.ts';

describe('the OPC UA API', () => {
  const backend = databaseBackends()[0]!;
  let h: ApiHarness;
  let server: OpcUaTestServer;

  beforeAll(async () => {
    [h, server] = await Promise.all([
      backend.open().then(apiHarness),
      startOpcUaServer({ plantVariables: 20, bigFolderChildren: 1200 }),
    ]);
  }, 90_000);

  afterAll(async () => {
    await h?.services.opcua.commissioning.close();
    await h?.services.opcua.pki.dispose();
    await server?.stop();
    await h?.close();
  });

  it('lists the endpoints a server offers', async () => {
    const { api } = await h.signedInAs('MAINTENANCE');
    const endpoints = await api.opcua.endpoints({ endpoint: server.endpoint });
    const modes = endpoints.map((e) => `${e.securityMode}/${e.securityPolicy}`);
    expect(modes).toContain('None/None');
    expect(modes).toContain('SignAndEncrypt/Basic256Sha256');
    expect(endpoints.find((e) => e.securityMode === 'Sign')?.userTokens).toContain('UserName');
  }, 30_000);

  it('browses a large folder with continuation points and reads nodes', async () => {
    const { api } = await h.signedInAs('MAINTENANCE');
    const objects = await api.opcua.browse({ endpoint: server.endpoint });
    expect(objects.references.map((r) => r.browseName)).toEqual(expect.arrayContaining(['1:Plant', '1:Big']));
    const names: string[] = [];
    let page = await api.opcua.browse({ endpoint: server.endpoint, nodeId: server.node('Big'), maxReferences: 500 });
    let pages = 1;
    names.push(...page.references.map((r) => r.displayName));
    while (page.continuationPoint) {
      page = await api.opcua.browse({
        endpoint: server.endpoint,
        nodeId: server.node('Big'),
        continuationPoint: page.continuationPoint,
      });
      pages++;
      names.push(...page.references.map((r) => r.displayName));
    }
    expect(pages).toBe(3);
    expect(new Set(names).size).toBe(1200);
    expect(page.references.every((r) => r.isVariable)).toBe(true);

    const values = await api.opcua.read({
      endpoint: server.endpoint,
      nodeIds: [server.node('Plant.Recipe'), server.node('Plant.DoesNotExist')],
    });
    expect(values[0]).toMatchObject({ ok: true, value: 'Batch-7', dataType: 'String' });
    expect(values[1]).toMatchObject({ ok: false, error: expect.stringMatching(/BadNodeIdUnknown/) });

    const unknown = await refusalOf(api.opcua.browse({ endpoint: server.endpoint, nodeId: server.node('Nope') }));
    expect(unknown.message).toMatch(/has no node/);
    expect(unknown.field).toBe('nodeId');
  }, 30_000);

  it('pages a big folder the way the browser does: security settings, 200 a page, other calls in between', async () => {
    const { api } = await h.signedInAs('MAINTENANCE');
    const target = { endpoint: server.endpoint, opcua: { securityMode: 'None' } };
    await api.opcua.browse({ ...target, nodeId: 'i=85', maxReferences: 200 });
    await api.opcua.browse({ ...target, nodeId: server.node('Plant'), maxReferences: 200 });
    await api.opcua.attributes({ ...target, nodeId: server.node('Plant.Setpoint') });
    let page = await api.opcua.browse({ ...target, nodeId: server.node('Big'), maxReferences: 200 });
    const names = page.references.map((r) => r.displayName);
    await api.opcua.attributes({ ...target, nodeId: server.node('Plant.Setpoint') });
    while (page.continuationPoint) {
      page = await api.opcua.browse({
        ...target,
        nodeId: server.node('Big'),
        continuationPoint: page.continuationPoint,
        maxReferences: 200,
      });
      names.push(...page.references.map((r) => r.displayName));
    }
    expect(new Set(names).size).toBe(1200);
  }, 30_000);

  it("shows a node's attributes and the tag it would make", async () => {
    const { api } = await h.signedInAs('MAINTENANCE');
    const setpoint = await api.opcua.attributes({ endpoint: server.endpoint, nodeId: server.node('Plant.Setpoint') });
    expect(setpoint).toMatchObject({
      nodeClass: 'Variable',
      browseName: '1:Setpoint',
      displayName: 'Setpoint',
      dataType: 'Double',
      value: 12.5,
      statusCode: 'Good',
      valueError: null,
      suggestedTag: { dataType: 'Double', accessType: 'ReadWrite' },
    });
    expect(setpoint.accessLevel).toEqual(['CurrentRead', 'CurrentWrite']);
    const recipe = await api.opcua.attributes({ endpoint: server.endpoint, nodeId: server.node('Plant.Recipe') });
    expect(recipe).toMatchObject({ dataType: 'String', value: 'Batch-7', suggestedTag: { accessType: 'Read' } });
    const folder = await api.opcua.attributes({ endpoint: server.endpoint, nodeId: server.node('Plant') });
    expect(folder).toMatchObject({ nodeClass: 'Object', dataType: null, suggestedTag: null, accessLevel: [] });
    const unknown = await refusalOf(api.opcua.attributes({ endpoint: server.endpoint, nodeId: server.node('Nope') }));
    expect(unknown).toMatchObject({ code: 'BAD_REQUEST', field: 'nodeId' });
    expect(unknown.message).toMatch(/has no node/);
    const viewer = await h.signedInAs('VIEWER');
    const refused = await refusalOf(
      viewer.api.opcua.attributes({ endpoint: server.endpoint, nodeId: server.node('Plant.Setpoint') }),
    );
    expect(refused.code).toBe('FORBIDDEN');
  }, 30_000);

  it('refuses a malformed endpoint naming the field', async () => {
    const { api } = await h.signedInAs('MAINTENANCE');
    const refusal = await refusalOf(api.opcua.endpoints({ endpoint: 'http://127.0.0.1:4840' }));
    expect(refusal.code).toBe('BAD_REQUEST');
    expect(refusal.field).toBe('endpoint');
    expect(refusal.message).toMatch(/not an OPC UA endpoint/);
  });

  it('trusts a rejected server certificate in one click, audited', async () => {
    const { api } = await h.signedInAs('MAINTENANCE');
    const secure = {
      endpoint: server.endpoint,
      opcua: { securityMode: 'Sign', userName: OPCUA_TEST_USER.userName, password: OPCUA_TEST_USER.password },
    };
    const untrusted = await refusalOf(api.opcua.browse(secure));
    expect(untrusted.message).toMatch(/not trusted yet/);
    const rejected = (await api.opcua.certificates.list()).filter((cert) => cert.store === 'rejected');
    expect(rejected).toHaveLength(1);

    const viewer = await h.signedInAs('VIEWER');
    expect((await refusalOf(viewer.api.opcua.certificates.trust({ thumbprint: rejected[0]!.thumbprint }))).code).toBe(
      'FORBIDDEN',
    );
    const trusted = await api.opcua.certificates.trust({ thumbprint: rejected[0]!.thumbprint });
    expect(trusted.store).toBe('trusted');
    const page = await api.opcua.browse({ ...secure, nodeId: server.node('Plant') });
    expect(page.references.length).toBeGreaterThan(20);

    const audit = await h.services.repos.auditLogs.query({ actionPrefix: 'opcua.certificates.trust' });
    expect(audit.some((row) => row.success && row.details?.thumbprint === rejected[0]!.thumbprint)).toBe(true);

    const missing = await refusalOf(api.opcua.certificates.remove({ thumbprint: 'ab'.repeat(20) }));
    expect(missing.code).toBe('NOT_FOUND');
    await api.opcua.certificates.remove({ thumbprint: rejected[0]!.thumbprint });
    expect((await api.opcua.certificates.list()).filter((cert) => cert.store !== 'own')).toEqual([]);
  }, 60_000);
});
