/**
 * What to do about a failing token, said once per failing check after the report (on stderr, to a person at a
 * terminal, whatever the format): the report says what is wrong; these lines say how to get a token that passes.
 */
import type { CheckId, TokenReport } from '../core/token/types.js';

/** The fix for each check a token can fail, in the order the checks run. */
const FIXES: Readonly<Record<CheckId, string>> = {
  mfa:
    'sign in again with MFA, and require MFA for the app with a Conditional Access policy (grant: require ' +
    "multifactor authentication) so every token it gets carries 'mfa'",
  'app-user': 'sign in as a user (delegated, App+User); an app-only token cannot carry MFA',
  audience:
    'request the token for the API that receives it (Partner Center: --resource ' +
    'https://api.partnercenter.microsoft.com), or check it with the matching --profile or --audience',
  scope: 'request the scope the API needs (Partner Center: user_impersonation) when signing in',
  lifetime: 'get a fresh token (expired and not yet valid tokens are refused), or check the clock and --now',
  signature:
    "verify against the issuer's own keys (without --jwks they come from Entra); a token that still fails was " +
    'changed after it was signed, or Entra did not sign it',
};

/** "token 2", "tokens 1, 2 and 5", "tokens 1, 2, 3 and 7 more". */
function tokensLabel(numbers: readonly number[]): string {
  if (numbers.length === 1) return `token ${numbers[0]}`;
  const shown = numbers.slice(0, 3);
  const more = numbers.length - shown.length;
  if (more > 0) return `tokens ${shown.join(', ')} and ${more} more`;
  return `tokens ${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

/** One line per check that some token fails: which tokens, and the fix. Empty when no token fails a check. */
export function tokenFixLines(report: TokenReport): string[] {
  const failing = new Map<CheckId, number[]>();
  for (const result of report.results) {
    for (const check of result.checks) {
      if (check.status !== 'fail') continue;
      const numbers = failing.get(check.id) ?? [];
      numbers.push(result.index + 1);
      failing.set(check.id, numbers);
    }
  }
  return (Object.keys(FIXES) as CheckId[])
    .filter((id) => failing.has(id))
    .map((id) => `fix (${id}, ${tokensLabel(failing.get(id) ?? [])}): ${FIXES[id]}`);
}
