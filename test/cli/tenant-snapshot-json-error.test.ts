/** `tenant --snapshot` of a file that is not JSON: one line with a position and an escaped excerpt, no raw bytes. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../helpers/io.js';

const ESC = String.fromCharCode(27);

describe('tenant --snapshot: not valid JSON', () => {
  it('names the line and column and escapes the excerpt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-audit-snapshot-json-'));
    writeFileSync(join(dir, 's.json'), `{\n  "format": ${ESC}[31mRED${ESC}[0m\u009b2J\n}`);
    const io = memoryIo({ cwd: dir });
    const code = await runCli(['tenant', '--snapshot', 's.json', '--now', '2026-11-21T12:00:00Z'], io);
    expect(code).toBe(2);
    expect(io.out()).toBe('');
    expect(io.err()).toMatch(/^mfa-audit: snapshot .*s\.json: not valid JSON at line 2, column 13: unexpected char/);
    expect(io.err()).toContain('\\u001b[31mRED\\u001b[0m\\u009b2J');
    expect(io.err()).not.toContain(ESC);
    expect(io.err()).not.toContain('\u009b');
    expect(io.err().trim().split('\n')).toHaveLength(1);
  });

  it('config --config: the same rule', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-audit-config-json-'));
    writeFileSync(join(dir, 'c.json'), `{"format": "json",, ${ESC}[2J}`);
    const io = memoryIo({ cwd: dir });
    const code = await runCli(['tenant', '--demo', '--config', 'c.json'], io);
    expect(code).toBe(2);
    expect(io.err()).toMatch(/^mfa-audit: config 'c\.json': not valid JSON at line 1, column 19:/);
    expect(io.err()).not.toContain(ESC);
  });
});
