import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../../src/report/escape.js';
import { jsonForScript } from '../../../src/report/html/page.js';

describe('escapeHtml', () => {
  it('turns the five markup characters into entities', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });

  it('shows control and bidi characters as \\uXXXX, keeps tab and LF', () => {
    expect(escapeHtml('a\u202eb\u0000c\u001b[31m\td\ne')).toBe('a\\u202eb\\u0000c\\u001b[31m\td\ne');
  });
});

describe('jsonForScript', () => {
  it('leaves no way to end or change a script block, and reads back as the same JSON', () => {
    const value = { name: '</script><!-- \u2028\u2029 & >' };
    const text = jsonForScript(JSON.stringify(value));
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
