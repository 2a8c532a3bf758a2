/** Fixtures and golden files of the CI formats (CSV, JUnit, SARIF). `UPDATE_GOLDEN=1 npx vitest run …` rewrites goldens. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { TenantReport } from '../../../src/core/tenant/types.js';
import type { TokenReport } from '../../../src/core/token/types.js';
import { goldenFiles } from '../../helpers/golden.js';

const GOLDEN_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = join(GOLDEN_DIR, '..', '..', '..');

export const CASES = ['pass', 'fail', 'mixed'] as const;

/** A report by case name (see CASES) or by the name of another saved report. */
export function tokenReport(name: string): TokenReport {
  return JSON.parse(readFileSync(join(GOLDEN_DIR, 'reports', `token-${name}.json`), 'utf8')) as TokenReport;
}

export function tenantReport(name: string): TenantReport {
  return JSON.parse(readFileSync(join(GOLDEN_DIR, 'reports', `tenant-${name}.json`), 'utf8')) as TenantReport;
}

/** Compares with the golden file of this directory (see test/helpers/golden.ts). */
export const expectGolden = goldenFiles(new URL('./', import.meta.url));

export const RENDER_OPTIONS = { color: false, verbose: false, now: new Date('2026-11-21T12:00:00Z') };

type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ??
  (addFormatsModule as unknown as AddFormats));

/** Ajv with formats (uri, uri-reference, date-time…) on, strict about the schemas themselves. */
export function newAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv;
}

export function readJson(relative: string): unknown {
  return JSON.parse(readFileSync(join(ROOT, relative), 'utf8'));
}
