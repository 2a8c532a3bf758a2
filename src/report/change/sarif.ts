/**
 * The change as SARIF 2.1.0 for code scanning on a pull request: each gap the change opens, each account it turns
 * from pass, and each proposed field mfa-audit does not model is a result. A result points at the proposed policy
 * file and the JSON line of the field that changed (the condition responsible), so GitHub annotates the diff; when
 * no proposed file is responsible (a removed policy, a diff of two states) it points at a stable logical path.
 */
import { createHash } from 'node:crypto';
import type { GapChange, ObjectChange, PlanResult, VerdictChange } from '../../core/plan/types.js';
import { isRegression } from '../../core/plan/compare.js';
import { VERSION } from '../../version.js';
import { FINGERPRINT_KEY } from '../sarif.js';
import { escapeUnsafe } from '../escape.js';
import type { RenderOptions } from '../types.js';
import { gapLine, verdictLine } from './wording.js';

const RULES = [
  {
    id: 'mfa-audit/change/gap-opened',
    name: 'GapOpened',
    text: 'The change opens a sign-in that gets through without MFA',
    level: 'error',
    severity: '8.0',
  },
  {
    id: 'mfa-audit/change/verdict-regressed',
    name: 'VerdictRegressed',
    text: 'The change turns an account from pass to fail or unknown',
    level: 'error',
    severity: '7.0',
  },
  {
    id: 'mfa-audit/change/unmodelled-field',
    name: 'UnmodelledField',
    text: 'A proposed policy has a field mfa-audit does not model (read fail-closed)',
    level: 'warning',
    severity: '4.0',
  },
] as const;

type Location = { uri: string; line: number };

function fingerprint(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

/** Where a gap or a regression comes from: the first changed field of a responsible policy with a proposed file. */
function locate(
  policyIds: readonly string[],
  objects: readonly ObjectChange[],
  tenantId: string,
  what: string,
): Location {
  const ids = new Set(policyIds.map((id) => id.toLowerCase()));
  const candidates = [...objects.filter((o) => ids.has(o.id.toLowerCase())), ...objects].filter((o) => o.source);
  for (const o of candidates) {
    const first = o.fields[0];
    const line = first ? o.fieldLines?.[first.path] : undefined;
    return { uri: o.source!.file, line: line ?? o.source!.line };
  }
  return { uri: `mfa-audit/tenant/${tenantId}/${what}`, line: 1 };
}

function result(ruleIndex: number, text: string, at: Location, identity: string, properties: Record<string, unknown>) {
  const rule = RULES[ruleIndex]!;
  return {
    ruleId: rule.id,
    ruleIndex,
    level: rule.level,
    message: { text: escapeUnsafe(text) },
    locations: [{ physicalLocation: { artifactLocation: { uri: at.uri }, region: { startLine: at.line } } }],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(rule.id, identity) },
    properties,
  };
}

function policiesOf(c: VerdictChange): string[] {
  return [...new Set(c.gaps.flatMap((g) => g.policyIds))];
}

export function renderChangeSarif(plan: PlanResult, _options?: RenderOptions): string {
  const { change } = plan;
  const objects = change.objectChanges;
  const results = [
    ...change.gapsOpened.map((g: GapChange) =>
      result(0, `Gap opened: ${gapLine(g)}`, locate(g.policyIds, objects, change.tenantId, 'gaps'), g.description, {
        accounts: g.accounts.length,
        policyIds: g.policyIds,
      }),
    ),
    ...change.verdictChanges.filter(isRegression).map((c) =>
      result(1, verdictLine(c), locate(policiesOf(c), objects, change.tenantId, `users/${c.id}`), c.id, {
        from: c.from,
        to: c.to,
      }),
    ),
    ...objects.flatMap((o) =>
      (o.unmodelled ?? []).map((u) =>
        result(
          2,
          `Policy '${o.name}': ${u}`,
          o.source ? { uri: o.source.file, line: o.source.line } : { uri: `mfa-audit/policies/${o.id}`, line: 1 },
          `${o.id}\u0000${u}`,
          { policyId: o.id },
        ),
      ),
    ),
  ];
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'mfa-audit',
            version: VERSION,
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.text },
              fullDescription: { text: r.text },
              help: { text: r.text, markdown: r.text },
              defaultConfiguration: { level: r.level },
              properties: { tags: ['security', 'mfa'], precision: 'high', 'security-severity': r.severity },
            })),
          },
        },
        automationDetails: { id: `mfa-audit/${change.command}/${change.tenantId}/` },
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
