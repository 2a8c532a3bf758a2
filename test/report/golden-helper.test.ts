import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectGolden, goldenFiles } from '../helpers/golden.js';

describe('the golden helper (test/helpers/golden.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'golden-'));
  afterEach(() => vi.unstubAllEnvs());

  it('passes when the text equals the golden file, and fails when it differs', () => {
    vi.stubEnv('UPDATE_GOLDEN', '');
    writeFileSync(join(dir, 'same.txt'), 'text\n');
    expectGolden(join(dir, 'same.txt'), 'text\n');
    expect(() => expectGolden(join(dir, 'same.txt'), 'other\n')).toThrow(/differs from golden file/);
  });

  it('fails on a missing golden file, saying how to create it, and writes nothing', () => {
    vi.stubEnv('UPDATE_GOLDEN', '');
    const check = goldenFiles(pathToFileURL(`${dir}/`));
    expect(() => check('missing.txt', 'text\n')).toThrow(/does not exist: create it with UPDATE_GOLDEN=1/);
    expect(() => readFileSync(join(dir, 'missing.txt'))).toThrow();
  });

  it('rewrites (and creates) golden files under UPDATE_GOLDEN=1', () => {
    vi.stubEnv('UPDATE_GOLDEN', '1');
    expectGolden(join(dir, 'new', 'created.txt'), 'fresh\n');
    expect(readFileSync(join(dir, 'new', 'created.txt'), 'utf8')).toBe('fresh\n');
  });
});
