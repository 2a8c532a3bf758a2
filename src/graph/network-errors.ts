/**
 * Failures below HTTP, sorted by what a retry can do about them. Shared by the Graph transport (which retries), the
 * sign-in network module and the JWKS fetch (which do not, but word the causes the same way).
 *
 * - `never`: the answer will be the same in a minute. A name that does not resolve (ENOTFOUND), a refused
 *   connection, no route to the host, a certificate that is untrusted, expired or for another name, a server that does
 *   not speak TLS. Retrying only delays the one line that tells the user what to fix.
 * - `briefly`: EAI_AGAIN, a temporary DNS failure (the resolver did not answer): worth a couple of tries, not six.
 * - `yes`: resets, timeouts, broken pipes and anything unknown — what a busy service or a flaky path produces.
 */

export type RetryPolicy = 'never' | 'briefly' | 'yes';

export interface NetworkCause {
  /** Node's or OpenSSL's code (ECONNREFUSED, ERR_TLS_CERT_ALTNAME_INVALID…), when the error has one. */
  code: string | undefined;
  /** The cause in words, e.g. "connection refused". */
  words: string;
  /** The words are this module's (a known code); false: they are the error's own message. */
  described: boolean;
  /** More about the cause, e.g. "a temporary DNS failure". */
  note?: string;
  /** What to do about it, when there is a standard answer. */
  hint?: string;
  retry: RetryPolicy;
  /** Where it failed: resolving the name, connecting, or the TLS handshake (undefined: later or unknown). */
  stage?: 'dns' | 'connect' | 'tls';
}

/** Attempts (the first included) for a `briefly` failure. */
export const BRIEF_ATTEMPTS = 3;

const FIXED: Readonly<Record<string, Omit<NetworkCause, 'code' | 'described'>>> = {
  ENOTFOUND: { words: 'the name does not resolve', retry: 'never', stage: 'dns' },
  EAI_AGAIN: {
    words: 'the name could not be resolved for now',
    note: 'a temporary DNS failure',
    retry: 'briefly',
    stage: 'dns',
  },
  ECONNREFUSED: { words: 'connection refused', retry: 'never', stage: 'connect' },
  EHOSTUNREACH: { words: 'no route to the host', retry: 'never', stage: 'connect' },
  ENETUNREACH: { words: 'the network is unreachable', retry: 'never', stage: 'connect' },
  ERR_TLS_CERT_ALTNAME_INVALID: {
    words: "the server's TLS certificate is not valid for this name",
    retry: 'never',
    stage: 'tls',
  },
  CERT_HAS_EXPIRED: { words: "the server's TLS certificate has expired", retry: 'never', stage: 'tls' },
  CERT_NOT_YET_VALID: { words: "the server's TLS certificate is not valid yet", retry: 'never', stage: 'tls' },
  ERR_SSL_WRONG_VERSION_NUMBER: { words: 'the server does not speak TLS on this port', retry: 'never', stage: 'tls' },
  ECONNRESET: { words: 'connection reset', retry: 'yes' },
  ETIMEDOUT: { words: 'connection timed out', retry: 'yes' },
  EPIPE: { words: 'connection closed while sending', retry: 'yes' },
  ECONNABORTED: { words: 'connection aborted', retry: 'yes' },
  ERR_TLS_HANDSHAKE_TIMEOUT: { words: 'the TLS handshake timed out', retry: 'yes', stage: 'tls' },
};

/** OpenSSL's verdicts on a chain it cannot trust: a CA is missing, not a transient fault. */
const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
]);

interface ErrorShape {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** The error's code: its own, its cause's, or (a dual-stack connect) the first of an AggregateError's. */
function codeOf(error: unknown, depth = 0): string | undefined {
  if (error === null || typeof error !== 'object' || depth > 3) return undefined;
  const e = error as ErrorShape;
  if (typeof e.code === 'string' && e.code !== '') return e.code;
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const code = codeOf(inner, depth + 1);
      if (code !== undefined) return code;
    }
  }
  return codeOf(e.cause, depth + 1);
}

function messageOf(error: unknown): string {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorShape;
  if (typeof e.message === 'string' && e.message !== '') return e.message;
  const cause = e.cause as ErrorShape | undefined;
  return typeof cause?.message === 'string' ? cause.message : String(error);
}

/** What failed and whether retrying can help. */
export function networkCause(error: unknown): NetworkCause {
  const code = codeOf(error);
  if (code !== undefined) {
    const fixed = Object.hasOwn(FIXED, code) ? FIXED[code] : undefined;
    if (fixed) return { code, described: true, ...fixed };
    if (UNTRUSTED.has(code)) {
      return {
        code,
        words: "the server's TLS certificate is not trusted",
        described: true,
        hint: 'NODE_EXTRA_CA_CERTS adds a CA',
        retry: 'never',
        stage: 'tls',
      };
    }
    if (/^(CERT_|ERR_TLS_CERT)/.test(code)) {
      return { code, words: "the server's TLS certificate was refused", described: true, retry: 'never', stage: 'tls' };
    }
    if (/^ERR_SSL_/.test(code) || code === 'EPROTO') {
      return { code, words: 'the TLS handshake failed', described: true, retry: 'never', stage: 'tls' };
    }
  }
  return { code, words: messageOf(error), described: false, retry: 'yes' };
}

/** "connection refused (ECONNREFUSED)", "… not trusted (DEPTH_ZERO_SELF_SIGNED_CERT; NODE_EXTRA_CA_CERTS adds a CA)". */
export function describeCause(cause: NetworkCause): string {
  let brackets = cause.code !== undefined && !cause.words.includes(cause.code) ? cause.code : undefined;
  if (cause.note !== undefined) brackets = brackets === undefined ? cause.note : `${brackets}, ${cause.note}`;
  if (cause.hint !== undefined) brackets = brackets === undefined ? cause.hint : `${brackets}; ${cause.hint}`;
  return brackets === undefined ? cause.words : `${cause.words} (${brackets})`;
}

/** The host (and port, when not 443) of a URL, for messages; never its path or query. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
