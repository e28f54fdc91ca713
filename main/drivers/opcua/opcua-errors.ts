// node-opcua's failures → a DriverError the engineer can act on. The classic ones of commissioning
// (certificate not trusted, hostname or applicationUri mismatch, expired certificate, wrong
// password, no matching endpoint) each get their own sentence and say what to do.
import { DriverError } from '../driver-contract.ts';

interface Rule {
  pattern: RegExp;
  kind: DriverError['kind'];
  field?: string;
  message: (endpoint: string, detail: string) => string;
}

const RULES: Rule[] = [
  {
    pattern: /BadCertificateUntrusted|certificate verification failed.*Untrusted|BadCertificateChainIncomplete/i,
    kind: 'access',
    message: (endpoint) =>
      `the certificate of ${endpoint} is not trusted yet: trust it under OPC UA certificates (it is listed there as rejected), then the gateway connects on its next attempt`,
  },
  {
    pattern: /BadCertificateHostNameInvalid/i,
    kind: 'access',
    field: 'endpoint',
    message: (endpoint) =>
      `the host name in the certificate of ${endpoint} does not match the endpoint's host: use the host name the server's certificate names, or reissue the server's certificate`,
  },
  {
    pattern: /BadCertificateUriInvalid/i,
    kind: 'access',
    message: (endpoint) =>
      `the applicationUri in the certificate of ${endpoint} does not match the server's description: the server's certificate must be reissued for its applicationUri`,
  },
  {
    pattern: /BadCertificateTimeInvalid|BadCertificateIssuerTimeInvalid|certificate.*expired/i,
    kind: 'access',
    message: (endpoint) =>
      `a certificate of ${endpoint} has expired or is not valid yet: check the clocks of both machines and renew the certificate`,
  },
  {
    pattern: /BadCertificateRevoked|BadCertificateIssuerRevoked/i,
    kind: 'access',
    message: (endpoint) => `the certificate of ${endpoint} has been revoked`,
  },
  {
    pattern: /BadSecurityChecksFailed|BadCertificateInvalid|BadSecurityPolicyRejected|BadNoValidCertificates/i,
    kind: 'access',
    message: (endpoint) =>
      `${endpoint} refused the secure channel: the server must trust the gateway's certificate (see OPC UA certificates → own certificate) for this security policy`,
  },
  {
    pattern: /BadUserAccessDenied|BadIdentityTokenRejected|BadIdentityTokenInvalid|BadUserSignatureInvalid/i,
    kind: 'config',
    field: 'config.opcua.userName',
    message: (endpoint) => `${endpoint} refused the user name or password (config.opcua.userName / password)`,
  },
  {
    pattern: /cannot find endpoint for securityMode|BadSecurityModeRejected/i,
    kind: 'config',
    field: 'config.opcua.securityMode',
    message: (endpoint, detail) =>
      `${endpoint} offers no endpoint with this security mode and policy (config.opcua.securityMode / securityPolicy): ${detail}`,
  },
  {
    pattern: /ECONNREFUSED/i,
    kind: 'unreachable',
    message: (endpoint) => `nothing accepts connections at ${endpoint}: is the server running and the port right?`,
  },
  {
    pattern: /ENOTFOUND|EAI_AGAIN/i,
    kind: 'unreachable',
    field: 'endpoint',
    message: (endpoint) => `the host of ${endpoint} cannot be resolved`,
  },
  {
    pattern:
      /EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|timeout|timed out|BadTimeout|ECONNRESET|EPIPE|socket has been disconnected|BadConnectionClosed|BadSecureChannelClosed/i,
    kind: 'unreachable',
    message: (endpoint, detail) => `${endpoint} does not answer (${detail})`,
  },
];

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? text).slice(0, 300);
}

export function classifyOpcUaError(error: unknown, endpoint: string): DriverError {
  if (error instanceof DriverError) return error;
  const detail = firstLine(error instanceof Error ? error.message : String(error));
  for (const rule of RULES) {
    if (rule.pattern.test(detail)) {
      return new DriverError(rule.kind, rule.message(endpoint, detail), rule.field, { cause: error });
    }
  }
  return new DriverError('unreachable', `${endpoint}: ${detail}`, undefined, { cause: error });
}
