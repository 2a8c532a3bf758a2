/** Reports written whole: one string or chunks, to a file (temporary name, then renamed) or to stdout. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stageReport, writeReport } from '../../src/cli/output.js';
import { UsageError } from '../../src/errors.js';
import { memoryIo } from '../helpers/io.js';

const dir = mkdtempSync(join(tmpdir(), 'mfa-audit-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function* chunks(parts: string[], onEach?: (index: number) => void): Generator<string> {
  for (const [index, part] of parts.entries()) {
    onEach?.(index);
    yield part;
  }
}

describe('writeReport', () => {
  it('writes chunks to a file in order, adding the final newline, and leaves no temporary file', async () => {
    const io = memoryIo({ cwd: dir });
    const big = 'x'.repeat(3 << 20);
    await writeReport(io, chunks(['{', '', big, '"…"', '}']), 'chunked/report.json');
    expect(readFileSync(join(dir, 'chunked/report.json'), 'utf8')).toBe(`{${big}"…"}\n`);
    expect(readdirSync(join(dir, 'chunked'))).toEqual(['report.json']);
  });

  it('writes chunks to stdout, with one final newline', async () => {
    const io = memoryIo();
    await writeReport(io, chunks(['a', 'b\n']));
    await writeReport(io, chunks(['c']));
    expect(io.out()).toBe('ab\nc\n');
  });

  it('keeps a string report as it was: whole, newline-terminated', async () => {
    const io = memoryIo({ cwd: dir });
    await writeReport(io, 'plain', 'plain.txt');
    expect(readFileSync(join(dir, 'plain.txt'), 'utf8')).toBe('plain\n');
  });
});

describe('stageReport', () => {
  it('shows nothing under the final name until commit, and discard leaves nothing', async () => {
    const io = memoryIo({ cwd: dir });
    const staged = await stageReport(io, chunks(['one']), 'staged.json');
    expect(readdirSync(dir)).not.toContain('staged.json');
    await staged.commit();
    expect(readFileSync(join(dir, 'staged.json'), 'utf8')).toBe('one\n');
    const dropped = await stageReport(io, 'two', 'dropped.json');
    await dropped.discard();
    expect(readdirSync(dir).filter((name) => name.startsWith('dropped'))).toEqual([]);
  });

  it('a renderer that fails half way leaves no file behind and says why', async () => {
    const io = memoryIo({ cwd: dir });
    const failing = chunks(['{', 'x'.repeat(2 << 20), '}'], (index) => {
      if (index === 2) throw new Error('renderer broke');
    });
    await expect(stageReport(io, failing, 'broken.json')).rejects.toThrow(UsageError);
    expect(readdirSync(dir).filter((name) => name.startsWith('broken'))).toEqual([]);
  });
});
