/**
 * A baseline written by --write-baseline keeps its placeholders (reason and owner 'TODO: …') until someone fills
 * them in; such a file must never turn the gate green. Reading it is an input error (exit 2) that names the entries.
 */
import { describe, expect, it } from 'vitest';
import { baselineFromTokenReport } from '../../src/core/baseline.js';
import type { TokenReport } from '../../src/core/token/types.js';
import { InputError } from '../../src/errors.js';
import { parseBaseline, serializeBaseline } from '../../src/input/baseline.js';

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

const entry = (subject: string, reason = 'vendor tool', owner = 'it@contoso.com') => ({
  subject,
  reason,
  owner,
  expires: '2026-12-31',
});

describe('unfilled placeholders in a baseline', () => {
  it('refuses a file just written by --write-baseline, naming its entries', () => {
    const report = {
      results: [
        { index: 0, verdict: 'fail', kind: 'app+user', checks: [], claims: { upn: 'bob@contoso.com' } },
        { index: 1, verdict: 'unknown', kind: 'app-only', checks: [], claims: { appid: 'app-2222' } },
      ],
    } as unknown as TokenReport;
    const written = JSON.parse(serializeBaseline(baselineFromTokenReport(report, new Date('2026-11-21T12:00:00Z'))));
    const message = problem(written);
    expect(message).toMatch(/^baseline 'b\.json': 2 entries still have the placeholder reason or owner/);
    expect(message).toContain('entries.0 (subject bob@contoso.com)');
    expect(message).toContain('entries.1 (subject app-2222)');
    expect(message).toContain('fill in');
  });

  it('refuses a TODO reason or owner, and names up to 3 entries and how many more', () => {
    expect(problem({ format: 'mfa-audit-baseline/1', entries: [entry('a@x', 'TODO')] })).toContain(
      '1 entry still has the placeholder reason or owner',
    );
    expect(
      problem({ format: 'mfa-audit-baseline/1', entries: [entry('a@x', 'ok', 'TODO: who answers for it')] }),
    ).toContain('entries.0 (subject a@x)');
    const many = Array.from({ length: 5 }, (_, i) => entry(`u${i}@x`, i === 1 ? 'fine' : 'TODO: why'));
    const message = problem({ format: 'mfa-audit-baseline/1', entries: many });
    expect(message).toContain('4 entries still have');
    expect(message).toContain(
      'entries.0 (subject u0@x), entries.2 (subject u2@x), entries.3 (subject u3@x) and 1 more',
    );
    expect(message).not.toContain('entries.1 ');
  });

  it('accepts filled-in entries, even ones that mention a todo in passing', () => {
    const data = {
      format: 'mfa-audit-baseline/1',
      entries: [
        entry('a@x', 'Vendor tool; see ticket TODO-123 for the fix'),
        entry('b@x', 'r', 'todo-team@contoso.com'),
      ],
    };
    expect(parseBaseline(data, 'x').entries).toHaveLength(2);
  });
});
