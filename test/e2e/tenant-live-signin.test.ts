/**
 * `tenant --tenant-id` with an app-only client-secret sign-in (msal-node against the local HTTPS identity provider),
 * then collection from the test Graph server with the token it issued: the same report as offline, and neither the
 * secret nor the token anywhere in the output or the saved snapshot.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Idp } from '../helpers/idp-server.js';
import { startIdp } from '../helpers/idp-server.js';
import type { TestGraphServer } from '../helpers/graph-server.js';
import { startTestGraphServer } from '../helpers/graph-server.js';
import { ALL_ROLES, servedTenant } from '../graph/support.js';
import type { CliRun } from '../helpers/built-cli.js';
import { runBuiltCli } from '../helpers/built-cli.js';

const NOW = '2026-11-21T12:00:00Z';
const SECRET = 'Zq8~test-client-secret-value-0123456789';
const CLIENT_ID = '6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
/** The demo tenant with every key collection gathers, and the same data as a snapshot file for the offline audit. */
const demo = servedTenant();
const SERVED = join(mkdtempSync(join(tmpdir(), 'mfa-audit-signin-served-')), 'served.json');
writeFileSync(SERVED, JSON.stringify(demo));

let idp: Idp;
let graph: TestGraphServer;
beforeAll(async () => {
  idp = await startIdp({ tenantId: demo.tenantId, clients: { [CLIENT_ID]: { secret: SECRET } }, appRoles: ALL_ROLES });
  // Graph accepts exactly the tokens the identity provider issued.
  graph = await startTestGraphServer({
    snapshot: demo,
    token: (token) => idp.issued.some((issued) => issued.accessToken === token),
  });
});
afterAll(async () => {
  await graph.close();
  await idp.close();
});

function cli(args: string[], env: Record<string, string>): Promise<CliRun> {
  return runBuiltCli(args, { env: { MFA_AUDIT_RETRY_SCALE: '0.001', ...env } });
}

it('signs in app-only with a client secret and audits the tenant like the offline snapshot', async () => {
  const saved = join(mkdtempSync(join(tmpdir(), 'mfa-audit-signin-')), 'snapshot.json');
  const [online, offline] = await Promise.all([
    cli(
      [
        'tenant',
        '--tenant-id',
        demo.tenantId,
        '--graph-url',
        graph.url,
        '--authority',
        idp.url,
        '--client-id',
        CLIENT_ID,
        '--client-secret-env',
        'MFA_AUDIT_TEST_SECRET',
        // Evidence from Entra is tested in tenant-evidence.test.ts: off, so the served data alone decides.
        '--no-confirm',
        '--sign-ins',
        '0',
        '--now',
        NOW,
        '--format',
        'json',
        '--save-snapshot',
        saved,
      ],
      { MFA_AUDIT_TEST_SECRET: SECRET, NODE_EXTRA_CA_CERTS: graph.caFile },
    ),
    cli(['tenant', '--snapshot', SERVED, '--now', NOW, '--format', 'json'], {}),
  ]);
  expect(online.stderr).toBe('');
  expect(idp.issued.length).toBeGreaterThan(0);
  expect(idp.issued[0]!.grantType).toBe('client_credentials');
  expect(graph.stats.authFailures).toBe(0);
  expect(graph.stats.requests).toBeGreaterThan(5);
  const { source: _a, ...liveReport } = JSON.parse(online.stdout) as Record<string, unknown>;
  const { source: _b, ...offlineReport } = JSON.parse(offline.stdout) as Record<string, unknown>;
  expect(liveReport).toEqual(offlineReport);
  expect(online.code).toBe(offline.code);
  const everything = online.stdout + online.stderr + readFileSync(saved, 'utf8');
  expect(everything).not.toContain(SECRET);
  for (const issued of idp.issued) expect(everything).not.toContain(issued.accessToken);
});
