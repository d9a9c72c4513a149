/**
 * The relay's certificate: the files RELAY_TLS_CERT_FILE and RELAY_TLS_KEY_FILE name, or a
 * self-signed one generated into DATA_DIR/relay/ on first start (kept, so its fingerprint stays the
 * same for clients that pin it; renewed when it has expired).
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { generate } from 'selfsigned';
import { logger } from '@/lib/log';
import type { RelayCertificate } from '@/lib/relay/status';

export type RelayTls = { key: string; cert: string; info: RelayCertificate };

const SELF_SIGNED_YEARS = 5;

export async function loadRelayTls(o: {
  certFile?: string;
  keyFile?: string;
  dataDir: string;
  hostname: string;
}): Promise<RelayTls> {
  if (o.certFile || o.keyFile) {
    if (!o.certFile || !o.keyFile)
      throw new Error('Set both RELAY_TLS_CERT_FILE and RELAY_TLS_KEY_FILE, or neither (a self-signed certificate is used).');
    const cert = read(o.certFile, 'RELAY_TLS_CERT_FILE');
    const key = read(o.keyFile, 'RELAY_TLS_KEY_FILE');
    return { key, cert, info: describe(cert, key, 'files', path.resolve(o.certFile)) };
  }
  const dir = path.join(o.dataDir, 'relay');
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) {
    const cert = fs.readFileSync(certFile, 'utf8');
    const key = fs.readFileSync(keyFile, 'utf8');
    if (new Date(new X509Certificate(cert).validTo).getTime() > Date.now() + 24 * 3600_000)
      return { key, cert, info: describe(cert, key, 'self-signed', certFile) };
    logger.warn({ certFile }, 'relay: the self-signed certificate expires within a day; generating a new one');
  }
  const { key, cert } = await selfSigned(o.hostname);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(keyFile, key, { mode: 0o600 });
  fs.writeFileSync(certFile, cert, { mode: 0o644 });
  const info = describe(cert, key, 'self-signed', certFile);
  logger.warn(
    { certFile, fingerprint256: info.fingerprint256 },
    'relay: generated a self-signed certificate; clients that pin it need this fingerprint',
  );
  return { key, cert, info };
}

function read(file: string, name: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${name} (${file}) cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`);
  }
}

function describe(cert: string, key: string, source: RelayCertificate['source'], certFile: string): RelayCertificate {
  let x: X509Certificate;
  try {
    x = new X509Certificate(cert);
  } catch {
    throw new Error(`${certFile} does not hold a PEM certificate.`);
  }
  try {
    if (!x.checkPrivateKey(createPrivateKey(key))) throw new Error('mismatch');
  } catch {
    throw new Error(`The relay's private key does not belong to the certificate in ${certFile}.`);
  }
  return {
    source,
    fingerprint256: x.fingerprint256,
    subject: x.subject.replace(/\n/g, ', '),
    validTo: new Date(x.validTo).toISOString(),
    certFile,
  };
}

/** A self-signed EC P-256 server certificate for `names` (host names and IP addresses), valid until `notAfterDate`. */
export async function generateSelfSigned(
  commonName: string,
  names: string[],
  notAfterDate = yearsFromNow(1),
): Promise<{ key: string; cert: string }> {
  const notBeforeDate = new Date();
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [...new Set(names)].map((n) => (isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })),
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

function yearsFromNow(years: number): Date {
  const d = new Date();
  d.setFullYear(d.getFullYear() + years);
  return d;
}

const selfSigned = (hostname: string) =>
  generateSelfSigned(hostname, [hostname, 'localhost', '127.0.0.1'], yearsFromNow(SELF_SIGNED_YEARS));
