/**
 * Reads the PEM file given to `--certificate`: the app registration's certificate and its private key, in one
 * file (the usual `cat cert.pem key.pem > app.pem`, or what `openssl pkcs12 -nodes` prints). Checks that the key
 * belongs to the certificate, so a mismatch is a clear input error instead of an opaque AADSTS700027 later.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';

interface CertificateCredential {
  certificatePem: string;
  /** PKCS#8 PEM ("BEGIN PRIVATE KEY"), whatever the file held (PKCS#1 RSA, SEC1 EC or PKCS#8). */
  privateKeyPem: string;
  /** Hex SHA-256 of the certificate (msal-node v7's `thumbprintSha256`). */
  thumbprintSha256: string;
  notAfter: Date;
}

const CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
const PRIVATE_KEY = /-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----[\s\S]+?-----END \1-----/;

export async function readCertificateFile(path: string): Promise<CertificateCredential> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(
      `cannot read the certificate file '${path}' (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      { cause: error },
    );
  }
  return parseCertificatePem(text, path);
}

export function parseCertificatePem(text: string, name = 'the certificate file'): CertificateCredential {
  const certificatePem = CERTIFICATE.exec(text)?.[0];
  const keyMatch = PRIVATE_KEY.exec(text);
  if (!certificatePem) {
    throw new InputError(
      `${name} holds no PEM certificate (-----BEGIN CERTIFICATE-----); put the certificate and its private key in one PEM file`,
    );
  }
  if (!keyMatch) {
    throw new InputError(
      `${name} holds no PEM private key (-----BEGIN PRIVATE KEY-----); put the certificate and its private key in one PEM file`,
    );
  }
  if (keyMatch[1] === 'ENCRYPTED PRIVATE KEY') {
    throw new InputError(
      `the private key in ${name} is encrypted; decrypt it (openssl pkcs8 -in key.pem -out plain.pem) and keep the file protected`,
    );
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch (error) {
    throw new InputError(`the certificate in ${name} is not a valid X.509 certificate`, { cause: error });
  }
  let privateKeyPem: string;
  try {
    const key = createPrivateKey(keyMatch[0]);
    if (!certificate.checkPrivateKey(key)) {
      throw new InputError(`the private key in ${name} does not belong to its certificate`);
    }
    privateKeyPem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`the private key in ${name} cannot be read`, { cause: error });
  }
  return {
    certificatePem,
    privateKeyPem,
    thumbprintSha256: certificate.fingerprint256.replace(/:/g, '').toUpperCase(),
    notAfter: new Date(certificate.validTo),
  };
}
