/** The token audit: every check runs, then one verdict (evaluation.md §1). Pure over decoded data. */
import { tokenKind } from './claims.js';
import { checkAppUser, checkAudience, checkLifetime, checkMfa, checkScope, checkSignature } from './checks.js';
import { explainClaims, partnerCenterAnswer, tokenWarnings } from './explain.js';
import type {
  DecodedToken,
  SignatureOutcome,
  TokenAuditOptions,
  TokenCheck,
  TokenReport,
  TokenResult,
  TokenVerdict,
} from './types.js';

/** fail if any check fails, else unknown if any is unknown, else pass (warn and skip do not fail). */
export function verdictOf(checks: readonly TokenCheck[]): TokenVerdict {
  if (checks.some((c) => c.status === 'fail')) return 'fail';
  if (checks.some((c) => c.status === 'unknown')) return 'unknown';
  return 'pass';
}

export function auditToken(
  token: DecodedToken,
  index: number,
  options: TokenAuditOptions,
  signature?: SignatureOutcome,
): TokenResult {
  const claims = token.payload;
  const kind = tokenKind(claims);
  const checks: TokenCheck[] = [
    checkMfa(claims, kind),
    checkAppUser(kind, options.requireAppUser === true),
    checkAudience(claims, options),
    checkScope(claims, kind, options),
    checkLifetime(claims, options),
    checkSignature(signature, token.header, token.unsigned === true),
  ];
  const result: TokenResult = {
    index,
    verdict: verdictOf(checks),
    kind: kind.kind,
    checks,
    claims,
    header: token.header,
    partnerCenter: partnerCenterAnswer(claims, checks, kind),
    warnings: tokenWarnings(token.header, claims),
    verified: signature?.status === 'pass',
  };
  if (options.explain !== false) result.explanation = explainClaims(token.header, claims, kind, options.now);
  if (token.source !== undefined) result.source = token.source;
  return result;
}

/** Audits every token; `signatures[i]` belongs to `tokens[i]` and is undefined without --verify. */
export function auditTokens(
  tokens: readonly DecodedToken[],
  options: TokenAuditOptions,
  signatures?: readonly (SignatureOutcome | undefined)[],
): TokenReport {
  return {
    generatedAt: options.now.toISOString(),
    evaluatedAt: options.now.toISOString(),
    profile: options.profile,
    verify: signatures !== undefined,
    results: tokens.map((token, index) => auditToken(token, index, options, signatures?.[index])),
  };
}
