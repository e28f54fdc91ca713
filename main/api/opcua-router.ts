// OPC UA commissioning and PKI: list a server's endpoints, browse its address space page by page
// (continuation points), read nodes, and manage the certificates the gateway trusts. Trusting or
// removing a certificate is a change to the gateway's security: audited, for those who may
// configure drivers. (audit_logs.resource_id is a UUID: the thumbprint goes in the details.)
import { z } from 'zod';
import { CertificateNotFoundError } from '../drivers/opcua/opcua-pki.ts';
import { OperationRefusedError } from '../gateway/operation-refused-error.ts';
import { jsonObject, text } from './api-schemas.ts';
import { procedure, router } from './trpc.ts';

const target = {
  endpoint: text(500),
  /** the device's config.opcua: securityMode, securityPolicy, userName, password */
  opcua: jsonObject.optional(),
};

const thumbprint = z
  .string()
  .regex(/^[0-9a-fA-F:]{40,59}$/, 'must be a certificate thumbprint (40 hex digits)')
  .transform((value) => value.replace(/:/g, '').toLowerCase());

async function withCertificate<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof CertificateNotFoundError) {
      throw new OperationRefusedError('not-found', error.message, { field: 'thumbprint' });
    }
    throw error;
  }
}

const certificatesRouter = router({
  /** The gateway's own certificate and every trusted and rejected server certificate. */
  list: procedure('read').query(({ ctx }) => ctx.services.opcua.pki.list()),

  /** Trusts a rejected server certificate: devices using that server connect on their next attempt. */
  trust: procedure('configure-drivers', { resourceType: 'opcua_certificate' })
    .input(z.object({ thumbprint }))
    .mutation(async ({ ctx, input }) => {
      const cert = await withCertificate(() => ctx.services.opcua.pki.trust(input.thumbprint));
      ctx.audit.details = { thumbprint: cert.thumbprint, subject: cert.subject };
      return cert;
    }),

  /** Removes a trusted (no longer trusted from now on) or rejected certificate. */
  remove: procedure('configure-drivers', { resourceType: 'opcua_certificate' })
    .input(z.object({ thumbprint }))
    .mutation(async ({ ctx, input }) => {
      const cert = await withCertificate(() => ctx.services.opcua.pki.remove(input.thumbprint));
      ctx.audit.details = { thumbprint: cert.thumbprint, subject: cert.subject, store: cert.store };
      return cert;
    }),
});

export const opcuaRouter = router({
  /** The endpoints (security mode, policy, user tokens) a server offers. */
  endpoints: procedure('commission')
    .input(z.object({ endpoint: target.endpoint }))
    .query(({ ctx, input }) => ctx.services.opcua.commissioning.endpoints(input.endpoint)),

  /** One page of a node's children; pass continuationPoint back for the next page. */
  browse: procedure('commission')
    .input(
      z.object({
        ...target,
        nodeId: text(1000).default('i=85'),
        continuationPoint: z.string().max(4096).optional(),
        maxReferences: z.int().min(1).max(5000).default(500),
      }),
    )
    .query(({ ctx, input }) =>
      ctx.services.opcua.commissioning.browse(input, input.nodeId, {
        ...(input.continuationPoint ? { continuationPoint: input.continuationPoint } : {}),
        maxReferences: input.maxReferences,
      }),
    ),

  /** Current values of up to 1000 nodes. */
  read: procedure('commission')
    .input(z.object({ ...target, nodeIds: z.array(text(1000)).min(1).max(1000) }))
    .query(({ ctx, input }) => ctx.services.opcua.commissioning.read(input, input.nodeIds)),

  /** A node's attributes (class, names, data type, value, status, access level) and the tag it would make. */
  attributes: procedure('commission')
    .input(z.object({ ...target, nodeId: text(1000) }))
    .query(({ ctx, input }) => ctx.services.opcua.commissioning.attributes(input, input.nodeId)),

  certificates: certificatesRouter,
});
