import { describe, expect, it } from 'vitest';
import { tenantExitCode, tokenExitCode, unknownsIgnored } from '../../src/core/gate.js';
import type { TenantReport } from '../../src/core/tenant/types.js';
import type { TokenReport } from '../../src/core/token/types.js';

const tenant = (...verdicts: Array<'pass' | 'fail' | 'exempt' | 'unknown' | 'accepted-fail' | 'accepted-unknown'>) =>
  ({
    accounts: verdicts.map((v, i) => ({
      id: String(i),
      verdict: v.replace('accepted-', ''),
      ...(v.startsWith('accepted-') ? { accepted: { reason: 'r', owner: 'o', expires: '2099-01-01' } } : {}),
    })),
  }) as unknown as TenantReport;

const token = (...verdicts: Array<'pass' | 'fail' | 'unknown' | 'accepted-fail'>) =>
  ({
    results: verdicts.map((v, index) => ({
      index,
      verdict: v.replace('accepted-', ''),
      ...(v.startsWith('accepted-') ? { accepted: { reason: 'r', owner: 'o', expires: '2099-01-01' } } : {}),
    })),
  }) as unknown as TokenReport;

describe('exit codes (the documented table, default --fail-on unknown)', () => {
  it.each([
    [['pass', 'exempt'], 0],
    [[], 0],
    [['pass', 'fail', 'unknown'], 1],
    [['pass', 'unknown', 'exempt'], 3],
    [['accepted-fail', 'pass'], 0],
    [['accepted-fail', 'unknown'], 3],
    [['accepted-unknown'], 0],
  ] as const)('tenant %j → %i', (verdicts, code) => {
    expect(tenantExitCode(tenant(...verdicts))).toBe(code);
    expect(tenantExitCode(tenant(...verdicts), { failOn: 'unknown' })).toBe(code);
  });

  it.each([
    [['pass'], 0],
    [['pass', 'fail'], 1],
    [['unknown', 'fail'], 1],
    [['unknown', 'pass'], 3],
    [['accepted-fail'], 0],
  ] as const)('token %j → %i', (verdicts, code) => {
    expect(tokenExitCode(token(...verdicts))).toBe(code);
  });
});

describe('--fail-on fail', () => {
  it('fails only on failures: unknown exits 0 (and is counted for a note)', () => {
    expect(tenantExitCode(tenant('pass', 'unknown'), { failOn: 'fail' })).toBe(0);
    expect(tenantExitCode(tenant('unknown', 'fail'), { failOn: 'fail' })).toBe(1);
    expect(tokenExitCode(token('unknown'), { failOn: 'fail' })).toBe(0);
    expect(unknownsIgnored(tenant('unknown', 'unknown', 'accepted-unknown').accounts, { failOn: 'fail' })).toBe(2);
    expect(unknownsIgnored(tenant('unknown').accounts, { failOn: 'unknown' })).toBe(0);
  });
});
