/** The built CLI: help that teaches, and flags that are refused rather than ignored (one line, exit 2). */
import { beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli } from '../helpers/built-cli.js';
import { generateTestKey, signFixture } from '../helpers/tokens.js';

const NOW = ['--now', '2026-11-21T12:00:00Z'];

describe('mfa-audit help through the built CLI', () => {
  it('without a command: the help on stderr, exit 2', async () => {
    const r = await runBuiltCli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Usage: mfa-audit \[options\] \[command\]\n/);
  });

  it('tenant --help with COLUMNS=80: grouped, every line within 80 columns', async () => {
    const r = await runBuiltCli(['tenant', '--help'], { env: { COLUMNS: '80' } });
    expect(r.code).toBe(0);
    for (const heading of ['Input:', 'Checks:', 'Sign-in:', 'Output:', 'CI:']) {
      expect(r.stdout).toContain(`\n${heading}\n`);
    }
    expect(r.stdout.split('\n').filter((line) => [...line].length > 80)).toEqual([]);
  });
});

describe('refused and named through the built CLI', () => {
  it('a missing option value', async () => {
    const r = await runBuiltCli(['tenant', '--snapshot']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("mfa-audit: --snapshot needs a value: --snapshot <file> (see 'mfa-audit tenant --help')\n");
  });

  it('a sign-in flag with --demo', async () => {
    const r = await runBuiltCli(['tenant', '--demo', '--device-code', ...NOW]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mfa-audit: tenant: --device-code is for live audits \(--tenant-id\)/);
  });

  it('the whole JSON of az account get-access-token on stdin: the hint, and no token shown', async () => {
    const token = await signFixture('pc-v1-app-user-mfa', await generateTestKey());
    const input = JSON.stringify({ accessToken: token, tokenType: 'Bearer' }, null, 2) + '\n';
    const r = await runBuiltCli(['token', ...NOW], { input });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("add '--query accessToken -o tsv' to the az command");
    expect(r.stderr).not.toContain(token.split('.')[2]);
  });
});

describe('warned about through the built CLI', () => {
  let stderr = '';
  beforeAll(async () => {
    const r = await runBuiltCli(['tenant', '--demo', '--format', 'json', '--break-glass', 'bg9@example.com', ...NOW]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toHaveProperty('accounts');
    stderr = r.stderr;
  });

  it('a --break-glass address that matches no account: one line naming it, and the audit runs', () => {
    expect(stderr).toBe(
      'mfa-audit: warning: --break-glass bg9@example.com: no account of the tenant has this UPN ' +
        '(compared case-insensitively); it designates nothing\n',
    );
  });
});
