/**
 * Golden files: a reporter's whole output, compared byte for byte with a file kept in the repository.
 *
 * - The text must equal the golden file.
 * - `UPDATE_GOLDEN=1 npx vitest run <test files>` rewrites the golden files after an intended change (review the
 *   diff, then commit it).
 * - A missing golden file fails the test: create it with UPDATE_GOLDEN=1, review it and commit it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** The environment variable that rewrites golden files ('1' to rewrite). */
const UPDATE_ENV = 'UPDATE_GOLDEN';

/** Compares `text` with the golden file at `path` (rewrites it instead when UPDATE_GOLDEN=1). */
export function expectGolden(path: string | URL, text: string): void {
  const file = typeof path === 'string' ? path : fileURLToPath(path);
  if (process.env[UPDATE_ENV] === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text, 'utf8');
    return;
  }
  const shown = relative(process.cwd(), file);
  if (!existsSync(file)) {
    expect.fail(
      `golden file ${shown} does not exist: create it with ${UPDATE_ENV}=1 npx vitest run <this test file>, ` +
        'review it, and commit it',
    );
  }
  expect(text, `differs from golden file ${shown} (${UPDATE_ENV}=1 rewrites it after an intended change)`).toBe(
    readFileSync(file, 'utf8'),
  );
}

/** `expectGolden` for the golden files of one directory: `goldenFiles(new URL('golden/', import.meta.url))`. */
export function goldenFiles(dir: URL): (name: string, text: string) => void {
  return (name, text) => expectGolden(new URL(name, dir), text);
}
