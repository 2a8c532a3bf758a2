import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TestTls {
  key: string;
  cert: string;
  /** A PEM file of the certificate, for NODE_EXTRA_CA_CERTS of a spawned CLI. */
  caFile: string;
}

let cached: Promise<TestTls> | undefined;

/** A self-signed certificate for localhost and 127.0.0.1, made at test time (once per test file). */
export function testTls(): Promise<TestTls> {
  cached ??= (async () => {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      days: 1,
      keySize: 2048,
      extensions: [
        { name: 'basicConstraints', cA: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
          ],
        },
      ],
    } as Parameters<typeof generate>[1]);
    const dir = mkdtempSync(join(tmpdir(), 'mfa-audit-tls-'));
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, pems.cert);
    return { key: pems.private, cert: pems.cert, caFile };
  })();
  return cached;
}
