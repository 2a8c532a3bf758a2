import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadBaseline, parseBaseline, serializeBaseline, writeBaselineFile } from '../../src/input/baseline.js';

const valid = {
  format: 'mfa-audit-baseline/1',
  entries: [
    { account: 'erin@contoso.com', reason: 'HQ migration', owner: 'secops', expires: '2026-12-31' },
    { subject: 'app-1111', reason: 'vendor', owner: 'it', expires: '2026-12-31T18:00:00+01:00' },
  ],
};

function problem(data: unknown): string {
  try {
    parseBaseline(data, "'b.json'");
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected an InputError');
}

describe('baseline file', () => {
  it('reads a valid file', () => {
    expect(parseBaseline(valid, 'x').entries).toEqual(valid.entries);
  });

  it.each([
    [{ ...valid, format: 'v2' }, 'baseline \'b.json\': format: expected "mfa-audit-baseline/1"'],
    [{ format: 'mfa-audit-baseline/1' }, "baseline 'b.json': entries: expected an array of entries"],
    [
      { ...valid, entries: [{ ...valid.entries[0], expires: '2026-02-30' }] },
      'entries.0.expires: expected a date (YYYY-MM-DD)',
    ],
    [{ ...valid, entries: [{ ...valid.entries[0], expires: 'next week' }] }, 'entries.0.expires: expected a date'],
    [
      { ...valid, entries: [valid.entries[0], { ...valid.entries[1], owner: ' ' }] },
      'entries.1.owner: owner must not be empty',
    ],
    [
      { ...valid, entries: [{ reason: 'r', owner: 'o', expires: '2026-12-31' }] },
      "entries.0: give exactly one of 'account' (tenant) or 'subject' (token)",
    ],
    [{ ...valid, entries: [{ ...valid.entries[0], subject: 'x' }] }, "entries.0: give exactly one of 'account'"],
    [{ ...valid, entries: [{ ...valid.entries[0], expiry: '2026-12-31' }] }, "entries.0.expiry: unknown key 'expiry'"],
    [{ ...valid, entries: [{ ...valid.entries[0], reason: 5 }] }, 'entries.0.reason: expected reason (a string)'],
  ])('rejects %j with one line naming the field', (data, expected) => {
    expect(problem(data)).toContain(expected);
  });

  it('a missing or broken file is an input error naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-baseline-'));
    await expect(loadBaseline('nope.json', dir)).rejects.toThrow("baseline 'nope.json': cannot read (no such file)");
    writeFileSync(join(dir, 'bad.json'), '{ "format": ');
    await expect(loadBaseline('bad.json', dir)).rejects.toThrow(/baseline 'bad.json': not valid JSON/);
  });

  it('writes what it reads (round trip)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-baseline-'));
    const baseline = parseBaseline(valid, 'x');
    await writeBaselineFile('sub/dir/b.json', dir, baseline);
    expect(readFileSync(join(dir, 'sub/dir/b.json'), 'utf8')).toBe(serializeBaseline(baseline));
    expect(await loadBaseline('sub/dir/b.json', dir)).toEqual(baseline);
  });
});
