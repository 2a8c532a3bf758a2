/**
 * `mfa-audit token`: input → core → report. Everything heavy is loaded only when used: jose with --verify, MSAL
 * with --acquire, cli-table3/chalk for the table format (through the lazy reporter registry).
 */
import type { TokenSignInRequest } from '../auth/acquire.js';
import { auditTokens } from '../core/token/audit.js';
import { PROFILE_NAMES } from '../core/token/catalog.js';
import type { Profile, SignatureOutcome, TokenAuditOptions } from '../core/token/types.js';
import { InputError, UsageError } from '../errors.js';
import { decodeTokens, readTokenInputs } from '../input/token-input.js';
import type { RawToken } from '../input/token-input.js';
import type { Io } from '../io.js';
import { lacksTimeZone, parseInstant, progress, TIME_ZONE_RULE } from '../io.js';
import type { Gate } from './gate.js';
import { finishTokenGate } from './gate.js';
import { refuseTokenAsFlagValue } from './secret-guard.js';
import { tokenFixLines } from './token-fixes.js';
import { refuseSignInWithoutAcquire, tokenSignInRequest } from './sign-in.js';
import type { TokenCommandOptions } from './token.js';

/** Up to this many tokens, every format explains each claim; beyond it, only with --verbose. */
const EXPLAIN_UP_TO = 3;

/** `mfa-audit token`, resolved from its flags (the config file applied). */
export interface TokenRequest {
  /** The checks, without `explain`: that depends on how many tokens there are. */
  audit: TokenAuditOptions;
  /** Where the tokens come from: a sign-in (--acquire), or arguments, stdin and --file. */
  input: { kind: 'acquire'; signIn: TokenSignInRequest } | { kind: 'given'; args: string[]; file?: string };
  /** Verify signatures; keys from `jwks` (file or URL), else the issuer's discovery keys. */
  verify?: { jwks?: string };
  verbose: boolean;
}

/** `--now`, as parseNow reads it; the token command words its error its own way. */
function tokenNow(value: string | undefined, io: Io): Date {
  if (value === undefined) return io.now();
  const instant = parseInstant(value);
  if (instant === undefined) {
    if (lacksTimeZone(value)) throw new UsageError(`--now ${value} has no time zone: ${TIME_ZONE_RULE}`);
    throw new UsageError(`--now ${value} is not an ISO-8601 instant (e.g. 2026-11-21T12:00:00Z)`);
  }
  return instant;
}

/** Every flag problem is found here, before anything is read or fetched (formats and outputs: prepareGate). */
export function tokenRequest(tokens: string[], options: TokenCommandOptions, io: Io): TokenRequest {
  refuseTokenAsFlagValue(options, 'token');
  refuseSignInWithoutAcquire(options);
  const profile = (options.profile ?? 'partner-center') as Profile;
  if (!PROFILE_NAMES.includes(profile)) {
    throw new UsageError(`unknown profile '${options.profile}' (expected one of: ${PROFILE_NAMES.join(', ')})`);
  }
  const audit: TokenAuditOptions = {
    profile,
    requireAppUser: options.requireAppUser === true,
    now: tokenNow(options.now, io),
  };
  if (options.audience !== undefined) {
    if (options.audience.trim() === '') throw new UsageError('--audience needs a value (the aud a token must carry)');
    audit.audience = options.audience;
  }
  if (options.scope !== undefined) audit.scope = options.scope;
  if (options.acquire && (tokens.length > 0 || options.file !== undefined)) {
    throw new UsageError('--acquire audits the token it signs in for: give no tokens and no --file with it');
  }
  return {
    audit,
    input: options.acquire
      ? { kind: 'acquire', signIn: tokenSignInRequest(options) }
      : { kind: 'given', args: tokens, file: options.file },
    verify: options.verify === true || options.jwks !== undefined ? { jwks: options.jwks } : undefined,
    verbose: options.verbose === true,
  };
}

export async function runToken(request: TokenRequest, gate: Gate<'token'>, io: Io): Promise<number> {
  let raw: RawToken[];
  if (request.input.kind === 'acquire') {
    const { acquireAuditToken } = await import('../auth/acquire.js');
    raw = [{ text: await acquireAuditToken(request.input.signIn, io), source: '--acquire' }];
  } else {
    if (request.input.args.includes('-') && io.stdin.isTTY === true) {
      // A person at a terminal typed `token -`: without this line the run looks hung.
      io.stderr.write('mfa-audit: waiting for a token on stdin (paste it, then Ctrl-D)…\n');
    }
    raw = await readTokenInputs(request.input.args, { file: request.input.file }, io);
    refuseAzureCliOutput(raw);
  }
  const decoded = decodeTokens(raw);

  let signatures: SignatureOutcome[] | undefined;
  if (request.verify) {
    const { verifySignatures } = await import('../auth/verify.js');
    signatures = await verifySignatures(decoded, { jwks: request.verify.jwks, cwd: io.cwd });
  }
  // The core sees plain header/payload data only: the compact token (and its signature) stays here.
  // Claims are explained for a few tokens (people read those), or for all with --verbose; a batch of thousands
  // in CI needs checks, not a claim-by-claim explanation of each.
  const auditOptions: TokenAuditOptions = {
    ...request.audit,
    explain: request.verbose || decoded.length <= EXPLAIN_UP_TO,
  };
  const report = auditTokens(
    decoded.map(({ header, payload, source, unsigned }) => ({
      header,
      payload,
      source,
      ...(unsigned ? { unsigned } : {}),
    })),
    auditOptions,
    signatures,
  );
  report.generatedAt = io.now().toISOString();
  // Baseline, every --format/--output, notes and the exit code (src/cli/gate.ts).
  const code = await finishTokenGate(io, gate, report, auditOptions.now);
  // Advice for a person at a terminal, like progress: a pipeline's stderr stays for errors and notes.
  const say = progress(io, gate.quiet);
  for (const line of tokenFixLines(report)) say(`mfa-audit: ${line}`);
  return code;
}

/** A line of `az account get-access-token` JSON (`"accessToken": "eyJ…",`) or of its TSV (the token, a tab, …). */
const AZURE_CLI_OUTPUT = /"accessToken"\s*:|^\s*"?eyJ[\w-]*\.[\w-]*\.[\w-]*"?\t/;

/**
 * The whole output of `az account get-access-token` piped in: every line of it would be "not a JWT", which does not
 * say what to do. Refused with the az options that print the token alone (the token itself is never shown).
 */
function refuseAzureCliOutput(raw: readonly RawToken[]): void {
  const found = raw.find((token) => AZURE_CLI_OUTPUT.test(token.text));
  if (found === undefined) return;
  const where = found.source.replace(/ line \d+$/, '');
  throw new InputError(
    `${where} holds the output of 'az account get-access-token', not a token alone: add ` +
      "'--query accessToken -o tsv' to the az command",
  );
}
