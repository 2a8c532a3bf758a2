import { describe, expect, it } from 'vitest';
import { auditTokens } from '../../../src/core/token/audit.js';
import type { DecodedToken, TokenReport } from '../../../src/core/token/types.js';
import { renderTokenJson } from '../../../src/report/token/json.js';
import { renderTokenMarkdown } from '../../../src/report/token/markdown.js';
import { renderTokenTable } from '../../../src/report/token/table.js';
import type { RenderOptions } from '../../../src/report/types.js';
import { goldenFiles } from '../../helpers/golden.js';
import { FIXTURE_NOW, loadClaims } from '../../helpers/tokens.js';

const header = { typ: 'JWT', alg: 'RS256', x5t: 'key-1', kid: 'key-1' };
const decoded = (name: string, source: string): DecodedToken => ({ header, payload: loadClaims(name), source });

/** A mixed run: a passing token, a failing one, an App-only one (three tokens, so claims are explained). */
function mixedReport(): TokenReport {
  const report = auditTokens(
    [
      decoded('pc-v1-global-admin-mfa', 'stdin line 1'),
      decoded('pc-v1-app-user-password-only', 'stdin line 2'),
      decoded('pc-v1-app-only', 'stdin line 3'),
    ],
    { profile: 'partner-center', now: FIXTURE_NOW },
  );
  report.generatedAt = FIXTURE_NOW.toISOString();
  return report;
}

function verifiedReport(): TokenReport {
  return auditTokens(
    [decoded('pc-v1-app-user-mfa', 'argument 1'), decoded('api-v2-app-user-no-amr', 'argument 2')],
    { profile: 'partner-center', now: FIXTURE_NOW },
    [
      { status: 'pass', message: 'signature verified (RS256, key key-1 from keys.json)' },
      {
        status: 'unknown',
        message: 'could not fetch signing keys from https://login.microsoftonline.com/x/discovery/v2.0/keys: timeout',
      },
    ],
  );
}

const plain: RenderOptions = { color: false, verbose: false, now: FIXTURE_NOW, width: 100 };

const golden = goldenFiles(new URL('golden/', import.meta.url));

const terminal: RenderOptions = { ...plain, color: true };
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

describe('token table', () => {
  it('matches the golden files: plain aligned text off a terminal, boxes and colour on one', () => {
    golden('mixed.table.golden.txt', renderTokenTable(mixedReport(), plain));
    golden('verified.table.golden.txt', renderTokenTable(verifiedReport(), plain));
    golden('mixed.terminal.golden.txt', renderTokenTable(mixedReport(), terminal));
  });
  it('draws boxes only on a terminal, and leaves no trailing blanks in plain text', () => {
    const text = renderTokenTable(mixedReport(), plain);
    expect(text).not.toMatch(/[┌│└─]/);
    expect(text).not.toMatch(/[ \t]+$/m);
    expect(text).toMatch(/^check {6}status {4}detail$/m);
    const boxed = renderTokenTable(mixedReport(), terminal).replace(ANSI, '');
    expect(boxed).toMatch(/^┌─+┬─+┬─+┐$/m);
    // Every line of a box is as wide as the terminal.
    for (const line of boxed.split('\n').filter((l) => /^[┌│└]/.test(l))) expect(line).toHaveLength(100);
  });
  it('fits the width it is given, and cuts nothing short', () => {
    for (const width of [60, 80, 160]) {
      for (const options of [plain, terminal]) {
        const text = renderTokenTable(mixedReport(), { ...options, width }).replace(ANSI, '');
        const rows = text
          .split('\n')
          .filter((line) => /^(?:[┌│└]|iss|aud|check|claim|mfa|app-user|lifetime) /.test(line));
        for (const line of rows) expect(line.length).toBeLessThanOrEqual(width);
        expect(text).not.toContain('…');
      }
    }
  });
  it('says "decoded only" when signatures were not verified', () => {
    const text = renderTokenTable(mixedReport(), plain);
    expect(text).toContain('signature not verified (decoded only)');
    expect(text).not.toMatch(/signature verified/);
    expect(renderTokenTable(verifiedReport(), plain)).toContain('signature verified');
  });
  it('carries no ANSI codes without colour, and colours with it', () => {
    expect(renderTokenTable(mixedReport(), plain)).not.toContain('\u001b[');
    expect(renderTokenTable(mixedReport(), terminal)).toContain('\u001b[');
  });
  it('explains claims when the results carry explanations, and says how to get them when not', () => {
    const tokens = Array.from({ length: 4 }, (_, i) => decoded('pc-v1-app-user-mfa', `stdin line ${i + 1}`));
    const lean = auditTokens(tokens, { profile: 'partner-center', now: FIXTURE_NOW, explain: false });
    expect(renderTokenTable(lean, plain)).not.toContain('meaning');
    expect(renderTokenTable(lean, plain)).toContain('claims are explained with --verbose');
    expect(renderTokenMarkdown(lean, plain)).not.toContain('Claims explained');
    const full = auditTokens(tokens, { profile: 'partner-center', now: FIXTURE_NOW });
    expect(renderTokenTable(full, plain)).toContain('meaning');
  });
});

describe('token counts', () => {
  it('say "1 token" and "2 tokens" in the table and in Markdown', () => {
    const one = auditTokens([decoded('pc-v1-app-user-mfa', 'stdin')], { profile: 'partner-center', now: FIXTURE_NOW });
    for (const render of [renderTokenTable, renderTokenMarkdown]) {
      expect(render(one, plain)).toContain('1 token: 1 pass, 0 fail, 0 unknown;');
      expect(render(verifiedReport(), plain)).toContain('2 tokens: 1 pass, 1 fail, 0 unknown;');
      expect(render(one, plain)).not.toMatch(/\(s\)/);
    }
  });
});

describe('token markdown', () => {
  it('matches the golden file', () => {
    golden('mixed.markdown.golden.md', renderTokenMarkdown(mixedReport(), plain));
  });
  it('escapes pipes in cells', () => {
    const report = auditTokens([{ header, payload: { ...loadClaims('pc-v1-app-user-mfa'), scp: 'a|b' } }], {
      profile: 'partner-center',
      now: FIXTURE_NOW,
    });
    expect(renderTokenMarkdown(report, plain)).toContain('a\\|b');
  });
});

describe('token json', () => {
  it("has the report schema's shape and never a signature", () => {
    const parsed = JSON.parse(renderTokenJson(mixedReport(), plain)) as { results: Record<string, unknown>[] };
    expect(parsed.results).toHaveLength(3);
    for (const [i, result] of parsed.results.entries()) {
      expect(result.index).toBe(i);
      expect(['pass', 'fail', 'unknown']).toContain(result.verdict);
      expect(['app+user', 'app-only']).toContain(result.kind);
      expect((result.checks as { id: string }[]).map((c) => c.id)).toEqual([
        'mfa',
        'app-user',
        'audience',
        'scope',
        'lifetime',
        'signature',
      ]);
      expect(result.claims).toEqual(expect.objectContaining({ aud: 'https://api.partnercenter.microsoft.com' }));
    }
    expect(parsed.results.map((r) => [r.verdict, r.kind])).toEqual([
      ['pass', 'app+user'],
      ['fail', 'app+user'],
      ['pass', 'app-only'],
    ]);
  });
});
