/**
 * The configuration file: `mfa-audit.config.json` in the working directory, or `--config PATH`.
 *
 * ```json
 * { "breakGlass": ["breakglass1@contoso.com"], "serviceAccounts": ["^svc[-_]", "scanner@contoso.com"],
 *   "baseline": "mfa-audit.baseline.json", "format": "table", "profile": "partner-center",
 *   "failOn": "unknown", "strict": false }
 * ```
 * Every key is optional; unknown keys are errors (a typo must not silently turn a setting off). Paths are relative
 * to the config file. Command-line flags always win. A bad file is an input error: one line with the dot-path of
 * the field, exit 2.
 */
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { FAIL_ON_VALUES } from '../core/gate.js';
import { InputError } from '../errors.js';
import { readJsonFile } from './baseline.js';
import { formatIssues } from './zod-issues.js';

export const DEFAULT_CONFIG_FILE = 'mfa-audit.config.json';
export const CONFIG_FORMATS = ['table', 'json', 'markdown', 'csv', 'junit', 'sarif'] as const;
export const PROFILES = ['partner-center', 'graph', 'arm', 'any'] as const;

const nonEmpty = (what: string) =>
  z
    .string({ error: `expected ${what} (a string)` })
    .trim()
    .min(1, { error: `${what} must not be empty` });

export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  /** Emergency-access accounts (UPNs or object ids). */
  breakGlass: z
    .array(
      nonEmpty('a UPN').refine((value) => !/\s/.test(value), { error: 'a UPN has no spaces' }),
      { error: 'expected an array of UPNs' },
    )
    .optional(),
  /** Service accounts: a UPN, or a regular expression written `/…/` or with regex characters. */
  serviceAccounts: z
    .union([nonEmpty('a pattern or file'), z.array(nonEmpty('a UPN or /pattern/'))], {
      error: 'expected a pattern, a file name, or an array of UPNs and /patterns/',
    })
    .optional(),
  baseline: nonEmpty('a baseline file').optional(),
  format: z.enum(CONFIG_FORMATS, { error: `expected one of ${CONFIG_FORMATS.join(', ')}` }).optional(),
  profile: z.enum(PROFILES, { error: `expected one of ${PROFILES.join(', ')}` }).optional(),
  failOn: z.enum(FAIL_ON_VALUES as ['fail', 'unknown'], { error: "expected 'fail' or 'unknown'" }).optional(),
  strict: z.boolean({ error: 'expected true or false' }).optional(),
});

export type MfaAuditConfig = z.infer<typeof configSchema>;

export interface LoadedConfig {
  config: MfaAuditConfig;
  /** The file read, absolute. */
  path: string;
}

/** Validates parsed JSON as a config; `label` names the file in the error. */
export function parseConfig(data: unknown, label: string): MfaAuditConfig {
  const parsed = configSchema.safeParse(data);
  if (!parsed.success) throw new InputError(formatIssues(`config ${label}`, parsed.error.issues));
  for (const [index, entry] of (Array.isArray(parsed.data.serviceAccounts) ? parsed.data.serviceAccounts : []).entries()) {
    const source = /^\/(.+)\/i?$/.exec(entry)?.[1];
    if (source === undefined) continue;
    try {
      new RegExp(source, 'i');
    } catch (error) {
      throw new InputError(`config ${label}: serviceAccounts.${index}: not a valid regular expression (${(error as Error).message})`);
    }
  }
  return parsed.data;
}

/**
 * Reads `--config PATH`, or `mfa-audit.config.json` in `cwd` when it exists. A missing `--config` file is an error;
 * a missing default file is not (undefined).
 */
export async function loadConfig(io: { cwd: string }, path?: string): Promise<LoadedConfig | undefined> {
  const file = resolve(io.cwd, path ?? DEFAULT_CONFIG_FILE);
  if (path === undefined) {
    const found = await stat(file).catch(() => undefined);
    if (!found?.isFile()) return undefined;
  }
  const label = `'${path ?? DEFAULT_CONFIG_FILE}'`;
  return { config: parseConfig(await readJsonFile(file, label, 'config'), label), path: file };
}

/** The options a config can set; the rest of a command's options pass through untouched. */
export interface ConfigurableOptions {
  format?: string;
  output?: string;
  breakGlass?: string;
  serviceAccounts?: string;
  baseline?: string;
  profile?: string;
  failOn?: string;
  strict?: boolean;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A config list of UPNs and `/patterns/` as the one regular expression `--service-accounts` takes. */
export function serviceAccountsPattern(entries: readonly string[]): string {
  return entries
    .map((entry) => {
      const source = /^\/(.+)\/i?$/.exec(entry)?.[1];
      return source !== undefined ? `(?:${source})` : `^${escapeRegex(entry)}$`;
    })
    .join('|');
}

/**
 * Options with the config applied beneath them: a flag given on the command line (`given(key)` true) always wins.
 * `given` defaults to "the option has a value", which is right for options without commander defaults.
 */
export async function mergeConfig<O extends ConfigurableOptions>(
  kind: 'token' | 'tenant',
  options: O,
  loaded: LoadedConfig | undefined,
  given: (key: keyof ConfigurableOptions) => boolean = (key) => options[key] !== undefined,
): Promise<O> {
  if (!loaded) return options;
  const { config } = loaded;
  const base = dirname(loaded.path);
  const merged: O = { ...options };
  const fromConfig = (path: string) => (isAbsolute(path) ? path : resolve(base, path));
  if (config.format !== undefined && !given('format') && !given('output')) merged.format = config.format;
  if (config.baseline !== undefined && !given('baseline')) merged.baseline = fromConfig(config.baseline);
  if (config.failOn !== undefined && !given('failOn')) merged.failOn = config.failOn;
  if (config.strict !== undefined && !given('strict')) merged.strict = config.strict;
  if (kind === 'token' && config.profile !== undefined && !given('profile')) merged.profile = config.profile;
  if (kind === 'tenant') {
    if (config.breakGlass?.length && !given('breakGlass')) merged.breakGlass = config.breakGlass.join(',');
    if (config.serviceAccounts?.length && !given('serviceAccounts')) {
      if (Array.isArray(config.serviceAccounts)) {
        merged.serviceAccounts = serviceAccountsPattern(config.serviceAccounts);
      } else {
        // A file next to the config wins over the same text read as a pattern.
        const candidate = fromConfig(config.serviceAccounts);
        const file = await stat(candidate).catch(() => undefined);
        merged.serviceAccounts = file?.isFile() ? candidate : config.serviceAccounts;
      }
    }
  }
  return merged;
}
