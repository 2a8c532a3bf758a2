/**
 * A test that Graph cannot outgrow silently. The engine reads Conditional Access policies, named locations,
 * authentication strengths and federation settings through a declared model (src/core/tenant/model.ts), and fails
 * closed at run time on anything the model does not declare. This test walks the Graph typings (v1.0 and beta) and
 * fails as soon as a new property or enum member appears that the model neither reads, ignores (with a reason) nor
 * declares fail-closed: updating @microsoft/microsoft-graph-types then breaks the build, not the audit's guarantee.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { findModelGaps } from './graph-types-walk.js';

const require = createRequire(import.meta.url);
const V1 = '@microsoft/microsoft-graph-types';
const BETA = '@microsoft/microsoft-graph-types-beta';
const typings = (pkg: string): string => readFileSync(require.resolve(`${pkg}/microsoft-graph.d.ts`), 'utf8');

/** `text` with `insert` put right after the first occurrence of `anchor` (which must be there). */
function patched(text: string, anchor: string, insert: string): string {
  const at = text.indexOf(anchor);
  if (at < 0) throw new Error(`anchor not found in the typings: ${anchor}`);
  return text.slice(0, at + anchor.length) + insert + text.slice(at + anchor.length);
}

describe('the engine model covers every Conditional Access property and enum member of the Graph typings', () => {
  const v1Text = typings(V1);
  const v1 = findModelGaps(v1Text, V1);

  it(`${V1} (v1.0): every property and enum member is declared by the model`, () => {
    expect(v1.problems).toEqual([]);
  });

  it(`${BETA}: every property and enum member is declared by the model`, () => {
    expect(findModelGaps(typings(BETA), BETA).problems).toEqual([]);
  });

  it('walks the whole tree, not a vacuous part of it', () => {
    expect(v1.visited.length).toBeGreaterThanOrEqual(40);
    // Deep ones, reached through base types and their subtypes, and through the grant's inline strength.
    expect(v1.visited).toEqual(
      expect.arrayContaining([
        'ConditionalAccessPolicy.id',
        'ConditionalAccessConditionSet.clientAppTypes',
        'ConditionalAccessGuestsOrExternalUsers.externalTenants',
        'ConditionalAccessEnumeratedExternalTenants.members',
        'IPv4CidrRange.cidrAddress',
        'IPv6CidrRange.cidrAddress',
        'CountryNamedLocation.countryLookupMethod',
        'AuthenticationStrengthPolicy.allowedCombinations',
        'InternalDomainFederation.federatedIdpMfaBehavior',
      ]),
    );
  });

  it('fails when a property is added to a copy of the types', () => {
    const text = patched(v1Text, 'export interface ConditionalAccessConditionSet {', '\n    newCondition?: string[];');
    const { problems } = findModelGaps(text, V1);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('ConditionalAccessConditionSet.newCondition');
    expect(problems[0]).toContain(V1);
  });

  it('fails when an enum member is added to a copy of the types', () => {
    const text = patched(v1Text, 'export type ConditionalAccessClientApp =', '\n    | "newClient"');
    const { problems } = findModelGaps(text, V1);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('ConditionalAccessClientApp member "newClient"');
    expect(problems[0]).toContain(V1);
  });

  it('fails when a property is added deep in the tree (guests or external users)', () => {
    const text = patched(
      v1Text,
      'export interface ConditionalAccessGuestsOrExternalUsers {',
      '\n    newGuestKind?: NullableOption<string>;',
    );
    const { problems } = findModelGaps(text, V1);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('ConditionalAccessGuestsOrExternalUsers.newGuestKind');
  });

  it('fails when a property is added to a subtype reached through its base type (external tenants)', () => {
    const text = patched(
      v1Text,
      'export interface ConditionalAccessEnumeratedExternalTenants extends ConditionalAccessExternalTenants {',
      '\n    newTenantScope?: string[];',
    );
    expect(findModelGaps(text, V1).problems).toEqual([
      expect.stringContaining('ConditionalAccessEnumeratedExternalTenants.newTenantScope'),
    ]);
  });

  it('fails when a property is added to a base type the roots inherit from (Entity)', () => {
    const text = patched(v1Text, 'export interface Entity {', '\n    newInherited?: string;');
    const problems = findModelGaps(text, V1).problems;
    for (const root of [
      'ConditionalAccessPolicy',
      'NamedLocation',
      'AuthenticationStrengthPolicy',
      'InternalDomainFederation',
    ]) {
      expect(problems).toContainEqual(expect.stringContaining(`${root}.newInherited`));
    }
  });
});
