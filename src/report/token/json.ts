import type { TokenReport, TokenResult } from '../../core/token/types.js';
import type { RenderOptions } from '../types.js';

/**
 * The fields schemas/token-report.schema.json names first, then the extras; the compact token and its signature are
 * never part of a result.
 */
function orderedResult(result: TokenResult): Record<string, unknown> {
  return {
    index: result.index,
    verdict: result.verdict,
    kind: result.kind,
    source: result.source,
    checks: result.checks,
    claims: result.claims,
    header: result.header,
    verified: result.verified,
    partnerCenter: result.partnerCenter,
    warnings: result.warnings,
    explanation: result.explanation,
    accepted: result.accepted,
    expiredAcceptance: result.expiredAcceptance,
  };
}

export function renderTokenJson(report: TokenReport, _options: RenderOptions): string {
  const body = {
    generatedAt: report.generatedAt,
    evaluatedAt: report.evaluatedAt,
    profile: report.profile,
    verify: report.verify,
    baseline: report.baseline,
    results: report.results.map(orderedResult),
  };
  return JSON.stringify(body, null, 2) + '\n';
}
