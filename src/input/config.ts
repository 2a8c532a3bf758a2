/**
 * The configuration file: `mfa-audit.config.json` in the working directory, or `--config PATH`.
 *
 * ```json
 * { "breakGlass": ["breakglass1@contoso.com"], "serviceAccounts": ["^svc[-_]", "scanner@contoso.com"],
 *   "baseline": "mfa-audit.baseline.json", "format": "table", "profile": "partner-center",
 *   "failOn": "unknown", "strict": false, "confirm": true, "confirmBudget": 20, "signIns": 30 }
 * ```
 * Every key is optional; unknown keys are errors (a typo must not silently turn a setting off). Paths are relative
 * to the config file. Command-line flags always win. A bad file is an input error: one line with the dot-path of
 * the field, exit 2. `confirm`, `confirmBudget` and `signIns` apply to live tenant runs only (they collect evidence).
 */
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { LoadedConfig } from './config-schema.js';
import { readJsonFile } from './json-file.js';

export type { LoadedConfig } from './config-schema.js';

const DEFAULT_CONFIG_FILE = 'mfa-audit.config.json';

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
  const data = await readJsonFile(file, label, 'config');
  // zod loads only when there is a config to check: most runs have none, and start-up matters.
  const { parseConfig } = await import('./config-schema.js');
  return { config: parseConfig(data, label), path: file };
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
  confirm?: boolean;
  confirmBudget?: string;
  signIns?: string;
  /** Read only: the evidence keys apply to live runs (a tenant id given), never to snapshots or the demo. */
  tenantId?: string;
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
    if (options.tenantId !== undefined) {
      if (config.confirm !== undefined && !given('confirm')) merged.confirm = config.confirm;
      if (config.confirmBudget !== undefined && !given('confirmBudget'))
        merged.confirmBudget = String(config.confirmBudget);
      if (config.signIns !== undefined && !given('signIns')) merged.signIns = String(config.signIns);
    }
  }
  return merged;
}
