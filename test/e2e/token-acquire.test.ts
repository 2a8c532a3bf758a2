/**
 * `mfa-audit token --acquire` end to end: the BUILT CLI (run `npm run build` first) signs in with the real
 * msal-node against the local HTTPS identity provider (trusted through NODE_EXTRA_CA_CERTS) and audits the token
 * it gets. Exit codes as documented: 0 amr has mfa, 1 it does not, 3 sign-in failed, 2 usage.
 */
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idpErrors, startIdp, type Idp } from '../helpers/idp-server.js';

const CLIENT = '11111111-1111-4111-8111-111111111111';
const REFRESH_TOKEN = '0.AXYA-partner-center-refresh-token.secret_part_Zq9';
const BIN = join(process.cwd(), 'bin', 'mfa-audit.js');

let idp: Idp;

beforeAll(async () => {
  idp = await startIdp({ refreshToken: REFRESH_TOKEN });
});
afterAll(async () => idp.close());

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', NODE_EXTRA_CA_CERTS: idp.caFile, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill(), 25_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function acquireArgs(extra: string[] = []): string[] {
  return [
    'token',
    '--acquire',
    '--authority',
    idp.url,
    '--tenant-id',
    idp.tenantId,
    '--client-id',
    CLIENT,
    '--format',
    'json',
    ...extra,
  ];
}

/** Neither the refresh token nor any whole access token the IdP issued may appear in the CLI's output. */
function expectNoSecrets(result: Run): void {
  const all = result.stdout + result.stderr;
  expect(all).not.toContain(REFRESH_TOKEN);
  expect(all).not.toContain('secret_part_Zq9');
  for (const { accessToken } of idp.issued) {
    expect(all).not.toContain(accessToken);
    expect(all).not.toContain(accessToken.split('.')[2]!); // not even the signature
  }
}

interface TokenReport {
  results: {
    verdict: string;
    kind: string;
    checks: { id: string; status: string }[];
    claims: Record<string, unknown>;
  }[];
}

describe('token --acquire (built CLI, local HTTPS IdP)', () => {
  it('refresh token from an environment variable, amr with mfa: exit 0', async () => {
    idp.setAmr(['pwd', 'mfa']);
    const result = await run(acquireArgs(['--refresh-token-env', 'RT']), { RT: REFRESH_TOKEN });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as TokenReport;
    expect(report.results).toHaveLength(1);
    expect(report.results[0]!.verdict).toBe('pass');
    expect(report.results[0]!.checks.find((c) => c.id === 'mfa')!.status).toBe('pass');
    expect(report.results[0]!.claims.amr).toEqual(['pwd', 'mfa']);
    expectNoSecrets(result);
    // The refresh token travelled in the POST body of the token request, nowhere else.
    const exchange = idp.tokenRequests().at(-1)!;
    expect(exchange.form.refresh_token).toBe(REFRESH_TOKEN);
    for (const request of idp.requests) {
      expect(request.path + JSON.stringify(request.query) + JSON.stringify(request.headers)).not.toContain(
        REFRESH_TOKEN,
      );
    }
  });

  it('a token signed in without MFA (amr pwd): exit 1 and the mfa check fails', async () => {
    idp.setAmr(['pwd']);
    try {
      const result = await run(acquireArgs(['--refresh-token-env', 'RT']), { RT: REFRESH_TOKEN });
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as TokenReport;
      expect(report.results[0]!.verdict).toBe('fail');
      expect(report.results[0]!.checks.find((c) => c.id === 'mfa')!.status).toBe('fail');
      expectNoSecrets(result);
    } finally {
      idp.setAmr(['pwd', 'mfa']);
    }
  });

  it('refresh token from a file, and the signature verified against the IdP keys (--jwks URL)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mfa-audit-rt-')), 'rt');
    writeFileSync(file, REFRESH_TOKEN + '\n');
    const jwks = `${idp.url}/${idp.tenantId}/discovery/v2.0/keys`;
    const result = await run(acquireArgs(['--refresh-token-file', file, '--verify', '--jwks', jwks]));
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as TokenReport;
    expect(report.results[0]!.checks.find((c) => c.id === 'signature')!.status).toBe('pass');
    expectNoSecrets(result);
  });

  it('device code: the prompt goes to stderr, the report to stdout', async () => {
    const result = await run(acquireArgs());
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/open the page https:\/\/127\.0\.0\.1:\d+\/devicelogin and enter the code/);
    expect((JSON.parse(result.stdout) as TokenReport).results[0]!.verdict).toBe('pass');
    expectNoSecrets(result);
  });

  it('sign-in refused (MFA required, AADSTS50076): exit 3, one line on stderr, nothing on stdout', async () => {
    idp.setTokenError(idpErrors.mfaRequired);
    try {
      const result = await run(acquireArgs(['--refresh-token-env', 'RT']), { RT: REFRESH_TOKEN });
      expect(result.code).toBe(3);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(
        /^mfa-audit: refresh-token exchange at https:\/\/127\.0\.0\.1:\d+ for tenant \S+ failed: invalid_grant AADSTS50076/,
      );
      expectNoSecrets(result);
    } finally {
      idp.setTokenError(undefined);
    }
  });

  it('an invalid refresh token: exit 3 without echoing it', async () => {
    const wrong = '0.AXYA-a-revoked-refresh-token-value';
    const result = await run(acquireArgs(['--refresh-token-env', 'RT']), { RT: wrong });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('AADSTS70000');
    expect(result.stderr).not.toContain(wrong);
    expect(result.stdout).toBe('');
  });

  it('an unreachable authority: exit 3, one line', async () => {
    const gone = await startIdp();
    const url = gone.url;
    await gone.close();
    const result = await run(
      [
        'token',
        '--acquire',
        '--authority',
        url,
        '--tenant-id',
        't',
        '--client-id',
        CLIENT,
        '--refresh-token-env',
        'RT',
        '--format',
        'json',
      ],
      { RT: REFRESH_TOKEN },
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /^mfa-audit: .*cannot reach the sign-in authority https:\/\/127\.0\.0\.1:\d+: connection refused\n$/,
    );
    expectNoSecrets(result);
  });

  it('usage errors: exit 2 with one line naming the option', async () => {
    const missing = await run(['token', '--acquire', '--client-id', CLIENT, '--format', 'json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^mfa-audit: --acquire needs --tenant-id/);
    const unset = await run(acquireArgs(['--refresh-token-env', 'NOT_SET']));
    expect(unset.code).toBe(2);
    expect(unset.stderr).toMatch(/environment variable NOT_SET is not set or empty/);
  });
});
