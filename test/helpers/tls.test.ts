import { createServer } from 'node:https';
import { describe, expect, it } from 'vitest';
import { testTls } from './tls.js';

describe('testTls', () => {
  it('makes a certificate a TLS client trusting it accepts for 127.0.0.1', async () => {
    const tls = await testTls();
    const server = createServer({ key: tls.key, cert: tls.cert }, (_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const { request } = await import('node:https');
    const body = await new Promise<string>((resolve, reject) => {
      request({ host: '127.0.0.1', port, ca: tls.cert }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      })
        .on('error', reject)
        .end();
    });
    server.close();
    expect(body).toBe('ok');
  });
});
