/**
 * `--baseline FILE` (read and validate) and `--write-baseline FILE` (write). The format:
 *
 * ```json
 * { "format": "mfa-audit-baseline/1",
 *   "entries": [
 *     { "account": "legacy-scanner@contoso.com", "reason": "…", "owner": "secops@contoso.com", "expires": "2026-12-31" },
 *     { "subject": "00000000-0000-0000-0000-000000000000", "reason": "…", "owner": "…", "expires": "2026-12-31" } ] }
 * ```
 * `account` entries apply to `tenant` (UPN or object id), `subject` entries to `token` (upn, oid, sub or app id).
 * A bad file is an input error: one line naming the field (`entries.2.expires: …`), exit 2.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { Baseline } from '../core/baseline.js';
import { BASELINE_FORMAT, hasPlaceholder, someOf } from '../core/baseline.js';
import { InputError } from '../errors.js';
import { readJsonFile } from './json-file.js';
import { formatIssues } from './zod-issues.js';

const text = (what: string) =>
  z
    .string({ error: `expected ${what} (a string)` })
    .trim()
    .min(1, { error: `${what} must not be empty` });

const expires = z.string({ error: 'expected a date (YYYY-MM-DD) or an ISO-8601 instant' }).refine(
  (value) => {
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
    const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value);
    if (!dateOnly && !instant) return false;
    const parsed = new Date(dateOnly ? `${value}T00:00:00Z` : value);
    // 2026-02-30 parses to March: reject dates that do not round-trip.
    return !Number.isNaN(parsed.getTime()) && (!dateOnly || parsed.toISOString().slice(0, 10) === value);
  },
  { error: 'expected a date (YYYY-MM-DD) or an ISO-8601 instant with a time zone (e.g. 2026-12-31T23:59:59Z)' },
);

const entrySchema = z
  .strictObject({
    account: text('account (UPN or object id)').optional(),
    subject: text('subject (upn, oid, sub or app id)').optional(),
    reason: text('reason'),
    owner: text('owner'),
    expires,
  })
  .refine((entry) => (entry.account === undefined) !== (entry.subject === undefined), {
    error: "give exactly one of 'account' (tenant) or 'subject' (token)",
  });

const baselineSchema = z.strictObject({
  $schema: z.string().optional(),
  format: z.literal(BASELINE_FORMAT, { error: `expected "${BASELINE_FORMAT}"` }),
  entries: z.array(entrySchema, { error: 'expected an array of entries' }),
});

/** Validates parsed JSON as a baseline; `label` names the file in the error. */
export function parseBaseline(data: unknown, label: string): Baseline {
  const parsed = baselineSchema.safeParse(data);
  if (!parsed.success) throw new InputError(formatIssues(`baseline ${label}`, parsed.error.issues));
  const entries = parsed.data.entries.map(({ ...entry }) => entry);
  refusePlaceholders(entries, label);
  return { format: BASELINE_FORMAT, entries };
}

/**
 * Entries whose reason or owner is still the placeholder --write-baseline wrote (`TODO: …`) accept nothing: the
 * file is refused, naming them (at most 3, and how many more), so an unreviewed baseline never turns the gate green.
 */
function refusePlaceholders(entries: Baseline['entries'], label: string): void {
  const unfilled = entries.flatMap((entry, index) =>
    hasPlaceholder(entry)
      ? [`entries.${index} (${entry.account !== undefined ? `account ${entry.account}` : `subject ${entry.subject}`})`]
      : [],
  );
  if (unfilled.length === 0) return;
  const count = unfilled.length === 1 ? '1 entry still has' : `${unfilled.length} entries still have`;
  throw new InputError(
    `baseline ${label}: ${count} the placeholder reason or owner (TODO) that --write-baseline writes: ` +
      `${someOf(unfilled)}; fill in why each exception is acceptable and who owns it`,
  );
}

/** Reads and validates `--baseline FILE` (relative to `cwd`). */
export async function loadBaseline(file: string, cwd: string): Promise<Baseline> {
  return parseBaseline(await readJsonFile(resolve(cwd, file), `'${file}'`, 'baseline'), `'${file}'`);
}

export function serializeBaseline(baseline: Baseline): string {
  return JSON.stringify({ format: baseline.format, entries: baseline.entries }, null, 2) + '\n';
}

/** Writes a baseline whole (temporary file, then rename), so a reader never sees half of one. */
export async function writeBaselineFile(file: string, cwd: string, baseline: Baseline): Promise<void> {
  const path = resolve(cwd, file);
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temporary, serializeBaseline(baseline), 'utf8');
    await rename(temporary, path);
  } catch (error) {
    throw new InputError(`--write-baseline: cannot write '${file}': ${(error as Error).message}`, { cause: error });
  }
}
