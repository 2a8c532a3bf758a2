/**
 * A corpus of Conditional Access policies in the shapes real Graph exports have (v1.0 and beta), one JSON file per
 * shape in corpus/, each read through the real snapshot reader and judged by the real engine. A fixture holds:
 *
 * - `description`: what the case proves;
 * - `policies`: the policies as Graph returns them (`api: "beta"` also stores them under the beta key, which the
 *   engine then reads instead of v1.0's);
 * - `users` (optional): the user objects; one ordinary member (alice@contoso.com) when absent;
 * - `graph` (optional): further snapshot keys, by their GRAPH_KEYS name (`namedLocations`, `domains`,
 *   `servicePrincipals` …) or by their request path (`v1.0/domains/contoso.com/federationConfiguration`); `null`
 *   means "not collected", as in a snapshot;
 * - `expect`: the verdict of the account (`account`, default the first user), a `reason` (or several) that must occur
 *   in its reasons, warnings or gap descriptions, and optionally finding ids that must (not) be raised.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type * as G from '@microsoft/microsoft-graph-types';
import { GRAPH_KEYS } from '../../../src/core/snapshot.js';
import type { AccountVerdict } from '../../../src/core/tenant/types.js';
import { parseSnapshot } from '../../../src/input/snapshot.js';
import { ALICE, account, audit, complete } from './build.js';

interface Fixture {
  description: string;
  api?: 'v1.0' | 'beta';
  users?: G.User[];
  policies: G.ConditionalAccessPolicy[];
  graph?: Record<string, unknown>;
  expect: {
    account?: string;
    verdict: AccountVerdict;
    reason: string | string[];
    findings?: string[];
    noFindings?: string[];
  };
}

const DIR = join(fileURLToPath(new URL('.', import.meta.url)), 'corpus');
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

function graphKeys(graph: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(graph)) {
    const known = Object.hasOwn(GRAPH_KEYS, k) ? GRAPH_KEYS[k as keyof typeof GRAPH_KEYS] : undefined;
    if (!known && !/^(v1\.0|beta)\//.test(k))
      throw new Error(`graph key '${k}' is neither a GRAPH_KEYS name nor a request path`);
    out[known ?? k] = v;
  }
  return out;
}

function run(file: string) {
  const fx = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Fixture;
  expect(fx.description, 'every fixture says what it proves').toBeTruthy();
  const people = fx.users ?? [ALICE];
  const extra = graphKeys(fx.graph);
  if (fx.api === 'beta') extra[GRAPH_KEYS.conditionalAccessPoliciesBeta] = fx.policies;
  // Through the real reader, as `mfa-audit tenant --snapshot` reads a file (null keys become "not collected").
  const snapshot = parseSnapshot(JSON.stringify(complete(people, fx.policies, extra)), file);
  const report = audit(snapshot);
  const a = account(report, fx.expect.account ?? people[0]!.userPrincipalName!);
  const said = [...a.reasons, ...(a.warnings ?? []), ...a.gaps.map((g) => g.description)];
  const shown = JSON.stringify({ verdict: a.verdict, said, findings: report.findings.map((f) => f.id) }, null, 1);
  expect(a.verdict, shown).toBe(fx.expect.verdict);
  for (const r of [fx.expect.reason].flat())
    expect(
      said.some((s) => s.includes(r)),
      `'${r}' in ${shown}`,
    ).toBe(true);
  const ids = report.findings.map((f) => f.id);
  for (const id of fx.expect.findings ?? []) expect(ids, shown).toContain(id);
  for (const id of fx.expect.noFindings ?? []) expect(ids, shown).not.toContain(id);
}

describe('corpus of real export shapes', () => {
  it('the corpus folder holds fixtures', () => {
    expect(FILES.length).toBeGreaterThan(0);
  });
  for (const file of FILES) it(basename(file, '.json'), () => run(file));
});
