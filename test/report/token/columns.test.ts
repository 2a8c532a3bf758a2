import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnOverhead, displayWidth, renderColumns, wrap } from '../../../src/report/token/columns.js';

// Paint that keeps the width, as ANSI colour does: the layout must pad by the text, not the painted text.
const lower = (text: string) => text.toLowerCase();

describe('token table columns', () => {
  it('boxes the columns on a terminal, and aligns them with two spaces elsewhere', () => {
    const rows = [[{ text: 'mfa' }, { text: 'FAIL', paint: lower }, { text: 'amr does not contain mfa' }]];
    expect(renderColumns(['check', 'status', 'detail'], rows, [5, 6, 12], { boxes: true, head: (t) => t })).toBe(
      [
        '┌───────┬────────┬──────────────┐',
        '│ check │ status │ detail       │',
        '│ mfa   │ fail   │ amr does not │',
        '│       │        │ contain mfa  │',
        '└───────┴────────┴──────────────┘',
      ].join('\n'),
    );
    expect(renderColumns(['check', 'status', 'detail'], rows, [5, 6, 12], { boxes: false, head: (t) => t })).toBe(
      ['check  status  detail', 'mfa    fail    amr does not', '               contain mfa'].join('\n'),
    );
    expect(columnOverhead(3, true)).toBe(10);
    expect(columnOverhead(3, false)).toBe(4);
  });

  it('breaks a word longer than its column instead of cutting it short', () => {
    expect(wrap('aud https://api.partnercenter.microsoft.com fits', 12)).toEqual([
      'aud',
      'https://api.',
      'partnercente',
      'r.microsoft.',
      'com fits',
    ]);
  });

  it('counts wide characters as two columns and keeps boxes aligned with them', () => {
    expect(displayWidth('山田太郎')).toBe(8);
    expect(displayWidth('e\u0301')).toBe(1);
    const text = renderColumns(['name'], [[{ text: '山田太郎 Yamada' }]], [10], { boxes: true, head: (t) => t });
    expect(text.split('\n').map(displayWidth)).toEqual([14, 14, 14, 14, 14]);
  });

  it('never makes a line wider than its column, and keeps every character of the text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', ' ', '山', '\n') }),
        fc.integer({ min: 1, max: 20 }),
        (text, width) => {
          const lines = wrap(text, width);
          for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(Math.max(width, 2));
          expect(lines.join('').replace(/[\s]/g, '')).toBe(text.replace(/[\s]/g, ''));
        },
      ),
    );
  });
});
