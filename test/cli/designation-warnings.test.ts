/** --break-glass and --service-accounts entries that match no account: one warning line each, the run goes on. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { designationWarnings } from '../../src/cli/designation-warnings.js';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../helpers/io.js';

const UPNS = ['Breakglass01@northwindcloud.onmicrosoft.com', 'svc-scanner@northwindcloud.com', 'adele@contoso.com'];
const NONE = { patterns: [], upns: [] };

describe('designationWarnings', () => {
  it('is silent when every entry matches an account (UPNs case-insensitively)', () => {
    const designations = {
      breakGlass: ['breakglass01@NORTHWINDCLOUD.onmicrosoft.com'],
      serviceAccounts: { patterns: ['^svc-'], upns: ['SVC-scanner@northwindcloud.com'] },
    };
    expect(designationWarnings(designations, 'svc.txt', UPNS)).toEqual([]);
  });

  it('names the break-glass entries that match no account', () => {
    expect(designationWarnings({ breakGlass: ['bg9@contoso.com'], serviceAccounts: NONE }, undefined, UPNS)).toEqual([
      '--break-glass bg9@contoso.com: no account of the tenant has this UPN (compared case-insensitively); ' +
        'it designates nothing',
    ]);
    const many = ['a@x.com', 'b@x.com', 'c@x.com', 'd@x.com', 'Breakglass01@northwindcloud.onmicrosoft.com'];
    expect(designationWarnings({ breakGlass: many, serviceAccounts: NONE }, undefined, UPNS)[0]).toMatch(
      /^--break-glass a@x\.com, b@x\.com, c@x\.com and 1 more: no account of the tenant has these UPNs/,
    );
  });

  it('says when a pattern given as the value matches nothing', () => {
    const designations = { breakGlass: [], serviceAccounts: { patterns: ['^zzz-'], upns: [] } };
    expect(designationWarnings(designations, '^zzz-', UPNS)).toEqual([
      "--service-accounts '^zzz-' matches no account of the tenant",
    ]);
  });

  it('says when none, or only some, of a file’s entries match', () => {
    const none = { breakGlass: [], serviceAccounts: { patterns: ['^zzz-'], upns: ['gone@contoso.com'] } };
    expect(designationWarnings(none, 'svc.txt', UPNS)).toEqual([
      '--service-accounts svc.txt: none of its 2 entries matches an account of the tenant (gone@contoso.com, /^zzz-/)',
    ]);
    const some = { breakGlass: [], serviceAccounts: { patterns: ['^svc-'], upns: ['gone@contoso.com'] } };
    expect(designationWarnings(some, 'svc.txt', UPNS)).toEqual([
      '--service-accounts svc.txt: 1 of its 2 entries match no account of the tenant (gone@contoso.com)',
    ]);
    const one = { breakGlass: [], serviceAccounts: { patterns: [], upns: ['gone@contoso.com'] } };
    expect(designationWarnings(one, 'svc.txt', UPNS)[0]).toMatch(/svc\.txt: its one entry matches no account/);
  });
});

describe('mfa-audit tenant --demo with designations that match nothing', () => {
  const NOW = ['--now', '2026-11-21T12:00:00Z', '--format', 'json'];

  it('warns on stderr, even with --quiet, and the report and exit code are unchanged', async () => {
    const plain = memoryIo();
    const plainCode = await runCli(['tenant', '--demo', ...NOW], plain);
    const io = memoryIo();
    const code = await runCli(['tenant', '--demo', ...NOW, '-q', '--break-glass', 'bg9@northwindcloud.com'], io);
    expect(code).toBe(plainCode);
    expect(io.out()).toBe(plain.out());
    expect(io.err()).toBe(
      'mfa-audit: warning: --break-glass bg9@northwindcloud.com: no account of the tenant has this UPN ' +
        '(compared case-insensitively); it designates nothing\n',
    );
  });

  it('is silent for the demo tenant’s own emergency account, in any case', async () => {
    const io = memoryIo();
    await runCli(['tenant', '--demo', ...NOW, '--break-glass', 'BREAKGLASS01@northwindcloud.onmicrosoft.com'], io);
    expect(io.err()).toBe('');
  });

  it('warns about a service-account file whose entries match no account', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-audit-designations-'));
    writeFileSync(join(dir, 'service-accounts.txt'), '# retired accounts\nold-scanner@northwindcloud.com\n/^robot-/\n');
    const io = memoryIo({ cwd: dir });
    await runCli(['tenant', '--demo', ...NOW, '--service-accounts', 'service-accounts.txt'], io);
    expect(io.err()).toBe(
      'mfa-audit: warning: --service-accounts service-accounts.txt: none of its 2 entries matches an account of ' +
        'the tenant (old-scanner@northwindcloud.com, /^robot-/)\n',
    );
  });

  it('plan warns the same way', async () => {
    const io = memoryIo();
    await runCli(['plan', '--demo', '--remove', 'none', ...NOW, '--break-glass', 'bg9@northwindcloud.com'], io);
    expect(io.err()).toMatch(/^mfa-audit: warning: --break-glass bg9@northwindcloud\.com: no account/);
  });
});
