/**
 * `mfa-audit token`: input → core → report. Everything heavy is loaded only when used: jose with --verify, MSAL
 * with --acquire, cli-table3/chalk for the table format (through the lazy reporter registry).
 */
import { auditTokens } from '../core/token/audit.js';
import { PROFILE_NAMES } from '../core/token/catalog.js';
import type { Profile, SignatureOutcome, TokenAuditOptions } from '../core/token/types.js';
import { UsageError } from '../errors.js';
import { looksLikeToken } from '../input/token-decode.js';
import { decodeTokens, readTokenInputs } from '../input/token-input.js';
import type { RawToken } from '../input/token-input.js';
import { finishTokenGate } from './emit.js';
import type { Io } from './io.js';
import type { TokenCommandOptions } from './token.js';

/** Up to this many tokens, every format explains each claim; beyond it, only with --verbose. */
export const EXPLAIN_UP_TO = 3;

function parseNow(value: string | undefined, io: Io): Date {
  if (value === undefined) return io.now();
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new UsageError(`--now ${value} is not an ISO-8601 instant (e.g. 2026-11-21T12:00:00Z)`);
  }
  return date;
}

/**
 * A token given as the value of a flag (`--profile $TOKEN`, `--file $TOKEN`) would be repeated by that flag's error
 * message or land in the report (`--audience`): refuse it first, without showing it.
 */
export function refuseTokenAsFlagValue(options: TokenCommandOptions): void {
  for (const [name, value] of Object.entries(options)) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'string' && looksLikeToken(v))) {
      const flag = `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      throw new UsageError(
        `the value of ${flag} looks like an access token (not shown): give tokens as arguments, on stdin or with --file`,
      );
    }
  }
}

export function auditOptionsFrom(options: TokenCommandOptions, io: Io): TokenAuditOptions {
  refuseTokenAsFlagValue(options);
  const profile = (options.profile ?? 'partner-center') as Profile;
  if (!PROFILE_NAMES.includes(profile)) {
    throw new UsageError(`unknown profile '${options.profile}' (expected one of: ${PROFILE_NAMES.join(', ')})`);
  }
  const audit: TokenAuditOptions = {
    profile,
    requireAppUser: options.requireAppUser === true,
    now: parseNow(options.now, io),
  };
  if (options.audience !== undefined) {
    if (options.audience.trim() === '') throw new UsageError('--audience needs a value (the aud a token must carry)');
    audit.audience = options.audience;
  }
  if (options.scope !== undefined) audit.scope = options.scope;
  return audit;
}

export async function runToken(tokens: string[], options: TokenCommandOptions, io: Io): Promise<number> {
  // Every flag problem is reported before anything is read or fetched (formats and outputs: prepareGate).
  const auditOptions = auditOptionsFrom(options, io);
  const verify = options.verify === true || options.jwks !== undefined;
  if (options.acquire && (tokens.length > 0 || options.file !== undefined)) {
    throw new UsageError('--acquire audits the token it signs in for: give no tokens and no --file with it');
  }

  let raw: RawToken[];
  if (options.acquire) {
    const { acquireTokenForAudit } = await import('../auth/for-commands.js');
    raw = [{ text: await acquireTokenForAudit(options, io), source: '--acquire' }];
  } else {
    raw = await readTokenInputs(tokens, { file: options.file }, io);
  }
  const decoded = decodeTokens(raw);

  let signatures: SignatureOutcome[] | undefined;
  if (verify) {
    const { verifySignatures } = await import('../auth/verify.js');
    signatures = await verifySignatures(decoded, { jwks: options.jwks, cwd: io.cwd });
  }
  // The core sees plain header/payload data only: the compact token (and its signature) stays here.
  // Claims are explained for a few tokens (people read those), or for all with --verbose; a batch of thousands
  // in CI needs checks, not a claim-by-claim explanation of each.
  auditOptions.explain = options.verbose === true || decoded.length <= EXPLAIN_UP_TO;
  const report = auditTokens(
    decoded.map(({ header, payload, source, unsigned }) => ({ header, payload, source, ...(unsigned ? { unsigned } : {}) })),
    auditOptions,
    signatures,
  );
  report.generatedAt = io.now().toISOString();
  // Baseline, every --format/--output, notes and the exit code (src/cli/emit.ts).
  return finishTokenGate(io, options, report, auditOptions.now);
}
