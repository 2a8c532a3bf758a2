/** The config file's schema (see config.ts); its own module so zod loads only when a config is read. */
import { z } from 'zod';
import { FAIL_ON_VALUES } from '../core/gate.js';
import { InputError } from '../errors.js';
import { FORMATS } from '../report/registry.js';
import { formatIssues } from './zod-issues.js';

const PROFILES = ['partner-center', 'graph', 'arm', 'any'] as const;

const nonEmpty = (what: string) =>
  z
    .string({ error: `expected ${what} (a string)` })
    .trim()
    .min(1, { error: `${what} must not be empty` });

const configSchema = z.strictObject({
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
  format: z.enum(FORMATS, { error: `expected one of ${FORMATS.join(', ')}` }).optional(),
  profile: z.enum(PROFILES, { error: `expected one of ${PROFILES.join(', ')}` }).optional(),
  failOn: z.enum(FAIL_ON_VALUES as ['fail', 'unknown'], { error: "expected 'fail' or 'unknown'" }).optional(),
  strict: z.boolean({ error: 'expected true or false' }).optional(),
  /** Live tenant runs: What If confirmation (as --confirm / --no-confirm), its spot-check budget, days of sign-ins. */
  confirm: z.boolean({ error: 'expected true or false' }).optional(),
  confirmBudget: z
    .number({ error: 'expected a whole number' })
    .int({ error: 'expected a whole number' })
    .min(0, { error: 'must be 0 or more' })
    .optional(),
  signIns: z
    .number({ error: 'expected a whole number of days' })
    .int({ error: 'expected a whole number of days' })
    .min(0, { error: 'must be 0 to 30' })
    .max(30, { error: 'must be 0 to 30' })
    .optional(),
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
  for (const [index, entry] of (Array.isArray(parsed.data.serviceAccounts)
    ? parsed.data.serviceAccounts
    : []
  ).entries()) {
    const source = /^\/(.+)\/i?$/.exec(entry)?.[1];
    if (source === undefined) continue;
    try {
      new RegExp(source, 'i');
    } catch (error) {
      throw new InputError(
        `config ${label}: serviceAccounts.${index}: not a valid regular expression (${(error as Error).message})`,
        {
          cause: error,
        },
      );
    }
  }
  return parsed.data;
}
