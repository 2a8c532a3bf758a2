/**
 * Local listeners for network-failure tests, all on 127.0.0.1: a port nobody listens on, and an HTTPS server whose
 * certificate names another host. Nothing here contacts any address but loopback or any DNS server.
 */
import type { Server } from 'node:https';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { generate } from 'selfsigned';

/** A port that was free a moment ago: bound on 127.0.0.1, noted, and closed again. */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface WrongNameServer {
  /** https://127.0.0.1:<port> — a host the certificate does not name. */
  url: string;
  /** The server's self-signed certificate (PEM), to trust in-process so only the name is wrong. */
  ca: string;
  /** Requests that reached the server (none should: the handshake fails first). */
  requests: () => number;
  close: () => Promise<void>;
}

let certificate: Promise<{ key: string; cert: string }> | undefined;

/** A self-signed CA certificate for graph.example.test only (no IP address, no localhost). */
function otherNameCertificate(): Promise<{ key: string; cert: string }> {
  certificate ??= (async () => {
    const pems = await generate([{ name: 'commonName', value: 'graph.example.test' }], {
      days: 1,
      keySize: 2048,
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'subjectAltName', altNames: [{ type: 2, value: 'graph.example.test' }] },
      ],
    } as Parameters<typeof generate>[1]);
    return { key: pems.private, cert: pems.cert };
  })();
  return certificate;
}

/** An HTTPS server on 127.0.0.1 with a certificate for graph.example.test. */
export async function wrongNameServer(): Promise<WrongNameServer> {
  const { key, cert } = await otherNameCertificate();
  let requests = 0;
  const server: Server = createHttpsServer({ key, cert }, (_req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"value":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    ca: cert,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
