/**
 * `--service-accounts PATTERN|FILE` and `--break-glass UPN,...`: the two ways a user tells the tenant audit which
 * accounts are service or emergency accounts (the engine also has documented naming heuristics of its own).
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AuditOptions } from '../core/tenant/audit.js';
import { InputError, UsageError } from '../errors.js';

export type AccountDesignations = Pick<AuditOptions, 'breakGlass' | 'serviceAccounts'>;

/** A service-account list larger than this is not a list of UPNs. */
const MAX_LIST_BYTES = 10 * 1024 * 1024;

/**
 * `--break-glass a@x.com, b@x.com`: UPNs separated by commas; blanks ignored. Object ids are accepted too (the
 * engine compares case-insensitively), since some teams keep their emergency accounts by id.
 */
export function parseBreakGlass(value: string | undefined): string[] {
  if (value === undefined) return [];
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) {
    throw new UsageError("--break-glass needs at least one UPN (e.g. --break-glass 'breakglass@contoso.com')");
  }
  for (const entry of entries) {
    if (/\s/.test(entry)) {
      throw new UsageError(`--break-glass: '${entry}' is not a UPN (separate accounts with commas, not spaces)`);
    }
  }
  return entries;
}

/**
 * `--service-accounts`: when the value names an existing file, the file lists one account per line (a UPN, or a
 * `/regular expression/`; `#` starts a comment); otherwise the value itself is a regular expression matched
 * case-insensitively against UPNs (e.g. `^svc[-_]`).
 */
export async function parseServiceAccounts(
  value: string | undefined,
  cwd: string,
): Promise<AuditOptions['serviceAccounts']> {
  if (value === undefined) return { patterns: [], upns: [] };
  if (value.trim() === '') {
    throw new UsageError("--service-accounts needs a regular expression or a file (e.g. --service-accounts '^svc-')");
  }
  const path = resolve(cwd, value);
  const file = await stat(path).catch(() => undefined);
  if (file?.isFile()) return parseServiceAccountList(await readList(path, file.size, value), value);
  if (file?.isDirectory()) throw new UsageError(`--service-accounts: '${value}' is a directory, not a file of UPNs`);
  return { patterns: [checkPattern(value, '--service-accounts')], upns: [] };
}

/** The text of a `--service-accounts` file: one UPN or `/regex/` per line, `#` comments, blank lines skipped. */
export function parseServiceAccountList(text: string, label: string): AuditOptions['serviceAccounts'] {
  const patterns: string[] = [];
  const upns: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    const where = `${label} line ${index + 1}`;
    const regex = /^\/(.+)\/i?$/.exec(line);
    if (regex?.[1] !== undefined) {
      patterns.push(checkPattern(regex[1], where, InputError));
    } else if (/\s/.test(line)) {
      throw new InputError(`${where}: '${line}' is not a UPN (one account per line; write a regex as /…/)`);
    } else {
      upns.push(line);
    }
  });
  return { patterns, upns };
}

async function readList(path: string, size: number, label: string): Promise<string> {
  if (size > MAX_LIST_BYTES) throw new InputError(`--service-accounts: '${label}' is larger than 10 MB`);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(`--service-accounts: cannot read '${label}': ${(error as Error).message}`, { cause: error });
  }
}

function checkPattern(
  source: string,
  where: string,
  ErrorType: typeof UsageError | typeof InputError = UsageError,
): string {
  try {
    new RegExp(source, 'i');
  } catch (error) {
    const reason = (error as Error).message.replace(/^Invalid regular expression: /, '');
    throw new ErrorType(`${where}: '${source}' is neither a file nor a valid regular expression (${reason})`, {
      cause: error,
    });
  }
  return source;
}

/** Both designations, ready for AuditOptions. */
export async function parseAccountDesignations(
  options: { breakGlass?: string; serviceAccounts?: string },
  cwd: string,
): Promise<AccountDesignations> {
  return {
    breakGlass: parseBreakGlass(options.breakGlass),
    serviceAccounts: await parseServiceAccounts(options.serviceAccounts, cwd),
  };
}
