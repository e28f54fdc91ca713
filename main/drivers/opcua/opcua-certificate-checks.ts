// The checks of a server certificate that node-opcua's client leaves to the application (it
// checks trust, validity and signatures, not names): on a secure channel, the endpoint's host
// must be a DNS name or IP address of the certificate (BadCertificateHostNameInvalid) and the
// certificate's URI must be the applicationUri the server describes itself with
// (BadCertificateUriInvalid). Both are the usual signs of a certificate copied from another
// machine or issued for another name.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { DriverError } from '../driver-contract.ts';

export interface ServerCertificateFacts {
  endpointUrl: string;
  /** the server certificate (DER; a chain starts with the server's own) */
  certificate: Buffer;
  /** the applicationUri of the server's ApplicationDescription */
  applicationUri: string | undefined;
  /** accept a certificate that does not name the endpoint's host (config.opcua.acceptHostNameMismatch) */
  acceptHostNameMismatch: boolean;
}

function hostOf(endpointUrl: string): string {
  const host = new URL(endpointUrl.replace(/^opc\.tcp:/i, 'http:')).hostname;
  return host.replace(/^\[(.*)\]$/, '$1');
}

function uriOf(x509: X509Certificate): string | undefined {
  return (x509.subjectAltName ?? '')
    .split(/,\s*/)
    .find((name) => name.startsWith('URI:'))
    ?.slice(4);
}

function namesOf(x509: X509Certificate): string {
  const names = (x509.subjectAltName ?? '')
    .split(/,\s*/)
    .filter((name) => name.startsWith('DNS:') || name.startsWith('IP Address:'))
    .map((name) => name.slice(name.indexOf(':') + 1));
  return names.length > 0 ? names.join(', ') : 'no host at all';
}

/** The first problem with the server certificate's names, or undefined when they match. */
export function serverCertificateProblem(facts: ServerCertificateFacts): DriverError | undefined {
  const x509 = new X509Certificate(facts.certificate.subarray(0, derLength(facts.certificate)));
  const { endpointUrl } = facts;
  const host = hostOf(endpointUrl);
  const named = isIP(host) ? x509.checkIP(host) !== undefined : x509.checkHost(host, { subject: 'never' });
  if (!named && !facts.acceptHostNameMismatch) {
    return new DriverError(
      'access',
      `the certificate of ${endpointUrl} is issued for ${namesOf(x509)}, not for ${host} (BadCertificateHostNameInvalid): connect by a host name the certificate names, have the server's certificate reissued, or set config.opcua.acceptHostNameMismatch`,
      'endpoint',
    );
  }
  const uri = uriOf(x509);
  if (facts.applicationUri !== undefined && uri !== facts.applicationUri) {
    return new DriverError(
      'access',
      `the certificate of ${endpointUrl} names the application ${uri ?? '(none)'}, but the server calls itself ${facts.applicationUri} (BadCertificateUriInvalid): the server's certificate must be reissued for its applicationUri`,
    );
  }
  return undefined;
}

/** The length of the first DER element of a chain (SEQUENCE with a definite length). */
function derLength(der: Buffer): number {
  const first = der[1] ?? 0;
  if (first < 0x80) return 2 + first;
  const bytes = first & 0x7f;
  let length = 0;
  for (let i = 0; i < bytes; i++) length = length * 256 + (der[2 + i] ?? 0);
  return 2 + bytes + length;
}
