/**
 * The test Graph server (HTTPS with a certificate made at test time). The server itself is plain JavaScript in
 * bench/graph-server.js so the benchmark runs it without a build; this wrapper adds the test certificate.
 */
import { startGraphServer as start } from '../../bench/graph-server.js';
import type { Fault, GraphServer, GraphServerOptions } from '../../bench/graph-server.js';
import { testTls } from './tls.js';

export type { Fault, GraphServer };

export interface TestGraphServer extends GraphServer {
  /** PEM of the server's certificate (trust it in-process) and its file (NODE_EXTRA_CA_CERTS of a spawned CLI). */
  ca: string;
  caFile: string;
}

export async function startTestGraphServer(
  options: Omit<GraphServerOptions, 'key' | 'cert'>,
): Promise<TestGraphServer> {
  const tls = await testTls();
  const server = await start({ ...options, key: tls.key, cert: tls.cert });
  return Object.assign(server, { ca: tls.cert, caFile: tls.caFile });
}
