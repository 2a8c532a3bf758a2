/** `--service-accounts PATTERN|FILE` and `--break-glass UPN,...` → AuditOptions (src/input/service-accounts.ts). */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../../src/errors.js';
import {
  parseAccountDesignations,
  parseBreakGlass,
  parseServiceAccountList,
  parseServiceAccounts,
} from '../../src/input/service-accounts.js';

const dir = mkdtempSync(join(tmpdir(), 'mfa-audit-designations-'));

describe('--break-glass', () => {
  it('splits on commas and trims; absent means none', () => {
    expect(parseBreakGlass(' bg01@contoso.com,BG02@contoso.com ,, ')).toEqual(['bg01@contoso.com', 'BG02@contoso.com']);
    expect(parseBreakGlass(undefined)).toEqual([]);
  });
  it('refuses an empty list and space-separated accounts', () => {
    expect(() => parseBreakGlass('')).toThrow(UsageError);
    expect(() => parseBreakGlass('a@x.com b@x.com')).toThrow(/commas/);
  });
});

describe('--service-accounts', () => {
  it('takes a value that is not a file as a regular expression', async () => {
    expect(await parseServiceAccounts('^svc[-_]', dir)).toEqual({ patterns: ['^svc[-_]'], upns: [] });
    expect(await parseServiceAccounts(undefined, dir)).toEqual({ patterns: [], upns: [] });
  });

  it('refuses an invalid regular expression, an empty value and a directory', async () => {
    await expect(parseServiceAccounts('svc-(', dir)).rejects.toThrow(UsageError);
    await expect(parseServiceAccounts('  ', dir)).rejects.toThrow(UsageError);
    mkdirSync(join(dir, 'a-directory'), { recursive: true });
    await expect(parseServiceAccounts('a-directory', dir)).rejects.toThrow(/directory/);
  });

  it('reads a file (relative to the working directory) of UPNs and /regexes/, with comments', async () => {
    writeFileSync(join(dir, 'svc.txt'), 'scanner@contoso.com\r\n# a comment\n/^app-/\n  /^room-/i  # rooms\n\n');
    expect(await parseServiceAccounts('svc.txt', dir)).toEqual({
      patterns: ['^app-', '^room-'],
      upns: ['scanner@contoso.com'],
    });
  });

  it('names the file and line of a bad entry', () => {
    expect(() => parseServiceAccountList('ok@contoso.com\nnot a upn\n', 'svc.txt')).toThrow(InputError);
    expect(() => parseServiceAccountList('ok@contoso.com\nnot a upn\n', 'svc.txt')).toThrow(/svc\.txt line 2/);
    expect(() => parseServiceAccountList('/(/\n', 'svc.txt')).toThrow(/svc\.txt line 1/);
  });

  it('gives AuditOptions both lists at once', async () => {
    expect(await parseAccountDesignations({ breakGlass: 'bg@contoso.com', serviceAccounts: '^svc' }, dir)).toEqual({
      breakGlass: ['bg@contoso.com'],
      serviceAccounts: { patterns: ['^svc'], upns: [] },
    });
  });
});
