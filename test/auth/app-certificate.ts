import { generate } from 'selfsigned';

/** An app-registration certificate with its private key, made at test time (PEM strings). */
export async function appCertificate(commonName = 'mfa-audit-test-app'): Promise<{ cert: string; key: string }> {
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    days: 2,
    keySize: 2048,
  } as Parameters<typeof generate>[1]);
  return { cert: pems.cert, key: pems.private };
}
