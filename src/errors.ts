/**
 * The closed set of errors the CLI knows how to report. Each carries one line for stderr;
 * `src/cli/main.ts` maps them to exit codes in one place (see EXIT_CODES).
 */
type MfaAuditErrorCode = 'usage' | 'input' | 'collection';

export abstract class MfaAuditError extends Error {
  abstract readonly code: MfaAuditErrorCode;

  /** `options.cause`: the error this one reports, kept for debugging (the message stays one line of its own). */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** A wrong flag, a missing argument, flags that cannot go together. Exit 2. */
export class UsageError extends MfaAuditError {
  readonly code = 'usage' as const;
  override name = 'UsageError';
}

/** Input that cannot be read or is not what it must be: not a JWT, a broken snapshot or config. Exit 2. */
export class InputError extends MfaAuditError {
  readonly code = 'input' as const;
  override name = 'InputError';
}

/**
 * Something outside the input kept the work from completing: sign-in failed, Graph refused,
 * the network or the JWKS endpoint was unreachable. Exit 3 (incomplete, never a pass).
 */
export class CollectionError extends MfaAuditError {
  readonly code = 'collection' as const;
  override name = 'CollectionError';
}

export const EXIT_CODES = {
  ok: 0,
  fail: 1,
  usage: 2,
  input: 2,
  incomplete: 3,
  collection: 3,
} as const;

/** One line, no stack: the message with newlines folded, so stderr stays a single line. */
export function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
