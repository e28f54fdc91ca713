// The gateway's OPC UA PKI, a folder under the data folder (node-opcua's layout: own/, trusted/,
// rejected/, issuers/). A server certificate the gateway has not seen lands in rejected/ on the
// first secure connection; the engineer trusts it in one click (trust()), or removes a trusted or
// rejected one. Nothing is trusted automatically.
import { X509Certificate, createHash } from 'node:crypto';
import { readdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import { loadOpcUaCertificateManager } from './opcua-module.ts';

export type CertificateStore = 'own' | 'trusted' | 'rejected';

export interface OpcUaCertificate {
  /** SHA-1 of the DER bytes, lower-case hex: how OPC UA names a certificate */
  thumbprint: string;
  store: CertificateStore;
  subject: string;
  issuer: string;
  /** the URI in subjectAltName: must match the application's applicationUri */
  applicationUri: string | null;
  /** DNS names and IP addresses in subjectAltName: one must match the endpoint's host */
  hosts: string[];
  validFrom: Date;
  validTo: Date;
  expired: boolean;
  selfSigned: boolean;
  fileName: string;
}

export class CertificateNotFoundError extends Error {
  override readonly name = 'CertificateNotFoundError';
}

function describe(der: Buffer, store: CertificateStore, fileName: string, now: Date): OpcUaCertificate {
  const x509 = new X509Certificate(der);
  const altNames = (x509.subjectAltName ?? '').split(/,\s*/).filter(Boolean);
  const uri = altNames.find((name) => name.startsWith('URI:'));
  return {
    thumbprint: createHash('sha1').update(x509.raw).digest('hex'),
    store,
    subject: x509.subject.replace(/\n/g, ', '),
    issuer: x509.issuer.replace(/\n/g, ', '),
    applicationUri: uri ? uri.slice(4) : null,
    hosts: altNames
      .filter((name) => name.startsWith('DNS:') || name.startsWith('IP Address:'))
      .map((name) => name.slice(name.indexOf(':') + 1)),
    validFrom: new Date(x509.validFrom),
    validTo: new Date(x509.validTo),
    expired: now > new Date(x509.validTo),
    selfSigned: x509.subject === x509.issuer,
    fileName,
  };
}

async function certificateFiles(folder: string): Promise<string[]> {
  try {
    return (await readdir(folder)).filter((name) => /\.(der|pem|crt|cer)$/i.test(name)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** DER bytes of a certificate file (PEM or DER). */
function derOf(bytes: Buffer): Buffer {
  return new X509Certificate(bytes).raw;
}

/** how long a trust waits for a connection attempt in flight to finish verifying */
const TRUST_SETTLE_MS = 250;

export class OpcUaPki {
  private manager: Promise<OPCUACertificateManager> | undefined;

  constructor(readonly rootDir: string) {}

  /** node-opcua's certificate manager over this folder (created, with the gateway's own key, on first use). */
  certificateManager(): Promise<OPCUACertificateManager> {
    this.manager ??= (async () => {
      const { OPCUACertificateManager } = await loadOpcUaCertificateManager();
      const manager = new OPCUACertificateManager({
        rootFolder: this.rootDir,
        automaticallyAcceptUnknownCertificate: false,
        disableFileWatchers: true,
      });
      await manager.initialize();
      return manager;
    })();
    this.manager.catch(() => (this.manager = undefined));
    return this.manager;
  }

  private folders(): Record<CertificateStore, string> {
    return {
      own: path.join(this.rootDir, 'own', 'certs'),
      trusted: path.join(this.rootDir, 'trusted', 'certs'),
      rejected: path.join(this.rootDir, 'rejected'),
    };
  }

  /** The gateway's own certificate, and every trusted and rejected peer certificate. */
  async list(now = new Date()): Promise<OpcUaCertificate[]> {
    const result: OpcUaCertificate[] = [];
    for (const [store, folder] of Object.entries(this.folders()) as Array<[CertificateStore, string]>) {
      for (const fileName of await certificateFiles(folder)) {
        try {
          result.push(describe(await readFile(path.join(folder, fileName)), store, fileName, now));
        } catch {
          // not a certificate (a stray file): not listed
        }
      }
    }
    return result;
  }

  private async find(thumbprint: string, stores: CertificateStore[]): Promise<OpcUaCertificate> {
    const wanted = thumbprint.toLowerCase().replace(/[^0-9a-f]/g, '');
    const found = (await this.list()).find((cert) => cert.thumbprint === wanted && stores.includes(cert.store));
    if (!found) {
      throw new CertificateNotFoundError(`no ${stores.join(' or ')} certificate has the thumbprint ${thumbprint}`);
    }
    return found;
  }

  /** Trusts a rejected certificate: the next connection to that server succeeds. */
  async trust(thumbprint: string): Promise<OpcUaCertificate> {
    const cert = await this.find(thumbprint, ['rejected']);
    const folder = this.folders().rejected;
    const der = derOf(await readFile(path.join(folder, cert.fileName)));
    const manager = await this.certificateManager();
    // A connection attempt that was verifying this certificate while it was trusted can file it
    // under rejected again a moment later (a driver retrying every few hundred ms does): look
    // again shortly after and trust it once more if that happened.
    for (let attempt = 0; attempt < 5; attempt++) {
      await manager.trustCertificate(der);
      await unlink(path.join(folder, cert.fileName)).catch(() => undefined);
      await delay(TRUST_SETTLE_MS);
      if ((await manager.isCertificateTrusted(der)) === 'Good') break;
    }
    return this.find(thumbprint, ['trusted']);
  }

  /** Forgets a trusted or rejected certificate (a trusted one is untrusted at once). */
  async remove(thumbprint: string): Promise<OpcUaCertificate> {
    const cert = await this.find(thumbprint, ['trusted', 'rejected']);
    if (cert.store === 'trusted') {
      const manager = await this.certificateManager();
      await manager.removeTrustedCertificate(cert.thumbprint);
    }
    await unlink(path.join(this.folders()[cert.store], cert.fileName)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    return cert;
  }

  async dispose(): Promise<void> {
    const manager = await this.manager?.catch(() => undefined);
    this.manager = undefined;
    await manager?.dispose();
  }
}
