import { createPrivateKey, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCertificatePem } from '../../src/auth/certificate.js';
import { certificateThumbprint } from '../../src/auth/sign-in.js';
import { InputError, UsageError } from '../../src/errors.js';
import { appCertificate } from './app-certificate.js';

let pair: { cert: string; key: string };
let other: { cert: string; key: string };
beforeAll(async () => {
  pair = await appCertificate();
  other = await appCertificate('other');
});

describe('parseCertificatePem (--certificate PATH)', () => {
  it('reads certificate and key in either order and gives the SHA-256 thumbprint msal v7 wants', () => {
    const expected = new X509Certificate(pair.cert).fingerprint256.replace(/:/g, '');
    for (const text of [pair.cert + pair.key, pair.key + '\n' + pair.cert]) {
      const credential = parseCertificatePem(text);
      expect(credential.thumbprintSha256).toBe(expected);
      expect(credential.thumbprintSha256).toMatch(/^[0-9A-F]{64}$/);
      expect(credential.privateKeyPem).toContain('-----BEGIN PRIVATE KEY-----');
      expect(credential.notAfter.getTime()).toBeGreaterThan(Date.now());
    }
  });

  it('accepts a PKCS#1 RSA key and converts it to PKCS#8', () => {
    const pkcs1 = createPrivateKey(pair.key).export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(pkcs1).toContain('BEGIN RSA PRIVATE KEY');
    expect(parseCertificatePem(pair.cert + pkcs1).privateKeyPem).toContain('-----BEGIN PRIVATE KEY-----');
  });

  it('refuses a missing certificate, a missing key, an encrypted key and a key of another certificate', () => {
    expect(() => parseCertificatePem(pair.key)).toThrow(/no PEM certificate/);
    expect(() => parseCertificatePem(pair.cert)).toThrow(/no PEM private key/);
    const encrypted = createPrivateKey(pair.key)
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' })
      .toString();
    expect(() => parseCertificatePem(pair.cert + encrypted)).toThrow(/is encrypted/);
    expect(() => parseCertificatePem(pair.cert + other.key)).toThrow(/does not belong to its certificate/);
    expect(() => parseCertificatePem(pair.cert + other.key)).toThrow(InputError);
  });

  it('never puts key material in an error', () => {
    const broken = pair.cert + '-----BEGIN PRIVATE KEY-----\nAAAAsecretish\n-----END PRIVATE KEY-----\n';
    expect(() => parseCertificatePem(broken)).toThrow(/cannot be read$/);
  });
});

describe('certificateThumbprint', () => {
  it('computes SHA-256 from the certificate, or takes a given SHA-256 / legacy SHA-1 in hex', () => {
    expect(certificateThumbprint(pair.cert)).toEqual({
      thumbprintSha256: new X509Certificate(pair.cert).fingerprint256.replace(/:/g, ''),
    });
    expect(certificateThumbprint(pair.cert, 'ab'.repeat(32))).toEqual({ thumbprintSha256: 'AB'.repeat(32) });
    expect(certificateThumbprint(pair.cert, 'ab:'.repeat(19) + 'ab')).toEqual({ thumbprint: 'AB'.repeat(20) });
    expect(() => certificateThumbprint(pair.cert, 'xyz')).toThrow(UsageError);
  });
});
