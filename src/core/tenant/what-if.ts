/**
 * Conditional Access What If (`POST beta/identity/conditionalAccess/evaluate`, evaluation.md §9): the concrete
 * request a gap's example sign-in stands for, the key that finds its answer again in a snapshot, and what the answer
 * means. Pure: the collector posts the requests, the engine reads the answers.
 */
import type { NamedLocation } from './directory.js';
import { isObject, str, strings } from './graph-json.js';
import type { Json } from './graph-json.js';
import type { Policy } from './policy.js';
import { isStopper } from './ca.js';
import { sub } from './dimension.js';
import { ADMIN_PORTAL_APP_IDS, MFA_TRUSTED_IPS_LOCATION, NON_GROUPED_APP_IDS, OFFICE365_APP_IDS } from './constants.js';
import type { SignInExample, WhatIfAnswer } from './types.js';
import { chooseCountry, chooseIp } from './what-if-location.js';

/** The request body of `conditionalAccessRoot: evaluate`, as mfa-audit builds it. */
export interface WhatIfRequest {
  signInIdentity: { '@odata.type': '#microsoft.graph.userSignIn'; userId: string };
  signInContext: { '@odata.type': '#microsoft.graph.applicationContext'; includeApplications: string[] };
  signInConditions: {
    clientAppType: string;
    devicePlatform: string;
    ipAddress?: string;
    country?: string;
    signInRiskLevel: string;
    userRiskLevel: string;
    insiderRiskLevel: string;
    deviceInfo: { isCompliant: boolean; trustType?: string };
    authenticationFlow?: { transferMethod: string };
  };
  /** Always false: the answer lists every policy, so a policy missing from it is noticed. */
  appliedPoliciesOnly: false;
}

/** What the request builder needs of the directory: named locations and the enabled policies. */
export interface WhatIfContext {
  namedLocations: Map<string, NamedLocation> | undefined;
  /** Enabled policies that target users (the engine's `enabled`). */
  policies: Policy[];
}

export type WhatIfBuild = { request: WhatIfRequest } | { notCheckable: string };

/** A JSON text with object keys sorted at every level: equal requests give equal keys, whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export const whatIfKey = (request: WhatIfRequest): string => canonicalJson(request);

/** App ids any enabled policy names (lower case). */
function namedApps(policies: Policy[]): Set<string> {
  const out = new Set<string>();
  for (const p of policies) {
    const a = sub(p, 'applications');
    for (const id of [...strings(a?.includeApplications), ...strings(a?.excludeApplications)])
      out.add(id.toLowerCase());
  }
  return out;
}

/**
 * The app of the example. A named app is itself. "An app no policy names" is a well-known Microsoft app whose group
 * membership is certain and that no policy names: an Office 365 app (Exchange Online first) when the example is in
 * Office 365, the Azure portal for an admin portal, otherwise one in neither group (Microsoft Graph first).
 */
function chooseApp(example: SignInExample, policies: Policy[]): string | { notCheckable: string } {
  const { appId, office365, adminPortal } = example.application;
  if (example.applicationFilterMatches.length > 0)
    return { notCheckable: 'an app that matches application filter rules cannot be named to What If' };
  if (appId) return appId;
  if (office365 && adminPortal) return { notCheckable: 'no known app is both in Office 365 and an admin portal' };
  const pool = office365 ? OFFICE365_APP_IDS : adminPortal ? ADMIN_PORTAL_APP_IDS : NON_GROUPED_APP_IDS;
  const named = namedApps(policies);
  const free = [...pool].find((id) => !named.has(id));
  return free ?? { notCheckable: 'every well-known app of its kind is named by a policy' };
}

/** The IP address and country of the example: inside every location it lists, outside every other that matters. */
function chooseLocation(
  example: SignInExample,
  ctx: WhatIfContext,
): { ipAddress: string; country: string } | { notCheckable: string } {
  if (example.locations.includes(MFA_TRUSTED_IPS_LOCATION))
    return { notCheckable: "the MFA service's trusted IPs cannot be read, so no address inside them is known" };
  const known = ctx.namedLocations;
  if (!known) {
    if (example.locations.length > 0) return { notCheckable: 'named locations were not collected' };
    return { ipAddress: chooseIp([], [])!, country: chooseCountry([], [])! };
  }
  const inside: NamedLocation[] = [];
  for (const id of example.locations) {
    const l = known.get(id);
    if (!l) return { notCheckable: `location ${id} is not among the named locations` };
    inside.push(l);
  }
  if (example.trustedLocation !== inside.some((l) => l.trusted === true))
    return { notCheckable: 'whether the place is trusted does not follow from its named locations' };
  const relevant = relevantLocations(ctx.policies, known);
  const outside = [...known.values()].filter((l) => !example.locations.includes(l.id) && relevant.has(l.id));
  const doubtful = [...inside, ...outside].find((l) => l.kind === 'other' || l.doubt !== undefined);
  if (doubtful) return { notCheckable: `where named location '${doubtful.displayName}' lies is not known` };
  if (inside.some((l) => l.kind === 'country' && l.gps))
    return { notCheckable: 'a country found by GPS cannot be put to What If' };
  const ipAddress = chooseIp(
    inside.filter((l) => l.kind === 'ip'),
    outside.filter((l) => l.kind === 'ip'),
  );
  if (!ipAddress) return { notCheckable: 'no IP address lies inside its IP locations and outside the others' };
  const country = chooseCountry(
    inside.filter((l) => l.kind === 'country'),
    outside.filter((l) => l.kind === 'country'),
  );
  if (!country) return { notCheckable: 'no country lies inside its country locations and outside the others' };
  return { ipAddress, country };
}

/** Named locations that some enabled policy depends on (named, or trusted while a policy uses AllTrusted). */
function relevantLocations(policies: Policy[], known: Map<string, NamedLocation>): Set<string> {
  const out = new Set<string>();
  let allTrusted = false;
  for (const p of policies) {
    const c = sub(p, 'locations');
    for (const v of [...strings(c?.includeLocations), ...strings(c?.excludeLocations)]) {
      if (v === 'AllTrusted') allTrusted = true;
      else out.add(v);
    }
  }
  if (allTrusted) for (const l of known.values()) if (l.trusted !== false) out.add(l.id);
  return out;
}

/**
 * The What If request for one account and one example sign-in (a gap's `example`), or why it cannot be built.
 * Every dimension of the example is stated: app, client app type, platform, IP address and country, the three risk
 * levels, the device (compliant; hybrid-joined as trust type `ServerAd`) and the authentication flow.
 */
export function whatIfRequestFor(account: { id: string }, example: SignInExample, ctx: WhatIfContext): WhatIfBuild {
  if (example.platform === 'unknown')
    return { notCheckable: 'What If has no value for an unrecognised device platform' };
  if (example.deviceFilterMatches.length > 0)
    return { notCheckable: 'a device that matches device filter rules cannot be described to What If' };
  const app = chooseApp(example, ctx.policies);
  if (typeof app !== 'string') return app;
  const place = chooseLocation(example, ctx);
  if ('notCheckable' in place) return place;
  const request: WhatIfRequest = {
    signInIdentity: { '@odata.type': '#microsoft.graph.userSignIn', userId: account.id },
    signInContext: { '@odata.type': '#microsoft.graph.applicationContext', includeApplications: [app] },
    signInConditions: {
      clientAppType: example.clientAppType,
      devicePlatform: example.platform,
      ipAddress: place.ipAddress,
      country: place.country,
      signInRiskLevel: example.signInRisk,
      userRiskLevel: example.userRisk,
      insiderRiskLevel: example.insiderRisk,
      deviceInfo: {
        isCompliant: example.device.compliant,
        ...(example.device.domainJoined ? { trustType: 'ServerAd' } : {}),
      },
      ...(example.authenticationFlow !== 'none'
        ? { authenticationFlow: { transferMethod: example.authenticationFlow } }
        : {}),
    },
    appliedPoliciesOnly: false,
  };
  return { request };
}

/** What the request was meant to show: a gap (no stopper applies) or a covered sign-in (one does). */
export type WhatIfExpectation = 'gap' | 'covered';

export interface WhatIfInterpretation {
  status: 'confirmed' | 'disputed' | 'inconclusive';
  reason: string;
  answer?: WhatIfAnswer;
}

const UNDETERMINED_REASONS = ['notEnoughInformation', 'invalidCondition'];

/** A policy Entra returned that mfa-audit does not have: does its grant look like MFA or block? */
function grantLooksLikeMfa(row: Json): boolean {
  const g = row.grantControls;
  if (!isObject(g)) return false;
  const controls = strings(g.builtInControls);
  return controls.includes('mfa') || controls.includes('block') || isObject(g.authenticationStrength);
}

function rowsOf(response: unknown): Json[] | string {
  if (Array.isArray(response)) return response.filter(isObject);
  if (isObject(response) && Array.isArray(response.value)) return response.value.filter(isObject);
  if (isObject(response) && isObject(response.error)) {
    const e = response.error;
    return `Entra answered with an error (${str(e.code) ?? 'no code'}: ${str(e.message) ?? 'no message'})`;
  }
  return 'the answer is not a list of policies';
}

/** Entra's answer, reduced to what the verdict needs. */
function readAnswer(key: string, rows: Json[], policies: Policy[]) {
  const byId = new Map(policies.map((p) => [p.id.toLowerCase(), p]));
  const answer: WhatIfAnswer = { key, applies: [], stoppers: [], undetermined: [] };
  const sure: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const id = str(row.id) ?? '';
    seen.add(id.toLowerCase());
    if (row.state !== 'enabled') continue;
    const ours = byId.get(id.toLowerCase());
    const may = ours ? isStopper(ours, false) : grantLooksLikeMfa(row);
    if (row.policyApplies === true) {
      answer.applies.push(id);
      if (may) answer.stoppers.push(id);
      if (ours && isStopper(ours, true)) sure.push(id);
    } else if (may && UNDETERMINED_REASONS.some((r) => (str(row.analysisReasons) ?? '').includes(r))) {
      answer.undetermined.push(id);
    }
  }
  const missing = policies.filter((p) => isStopper(p, false) && !p.targetsNoUser && !seen.has(p.id.toLowerCase()));
  return { answer, sure, missing };
}

function named(ids: string[], policies: Policy[]): string {
  const byId = new Map(policies.map((p) => [p.id.toLowerCase(), p.name]));
  return ids.map((id) => `'${byId.get(id.toLowerCase()) ?? id}'`).join(', ');
}

/**
 * What Entra's answer means for the sign-in. For a gap: `confirmed` when no enabled policy that demands MFA or blocks
 * (or may) applies, `disputed` when one does. For a covered sign-in (a pass spot-check): `confirmed` when one that
 * surely does applies, `disputed` when none does. Anything Entra could not evaluate, an error, or an enabled policy
 * of the snapshot missing from the answer (the policies changed) makes it `inconclusive`.
 */
export function interpretWhatIf(
  request: WhatIfRequest,
  response: unknown,
  policies: Policy[],
  expect: WhatIfExpectation = 'gap',
): WhatIfInterpretation {
  const rows = rowsOf(response);
  if (typeof rows === 'string') return { status: 'inconclusive', reason: rows };
  const { answer, sure, missing } = readAnswer(whatIfKey(request), rows, policies);
  const undetermined = answer.undetermined.length
    ? `Entra could not evaluate ${named(answer.undetermined, policies)} (not enough information)`
    : missing.length
      ? `Entra's answer does not list ${named(
          missing.map((p) => p.id),
          policies,
        )} (the policies changed since they were collected)`
      : undefined;
  if (expect === 'gap') {
    if (answer.stoppers.length)
      return {
        status: 'disputed',
        answer,
        reason: `Entra's What If says ${named(answer.stoppers, policies)} (MFA or block) applies to this sign-in`,
      };
    if (undetermined) return { status: 'inconclusive', answer, reason: undetermined };
    return {
      status: 'confirmed',
      answer,
      reason: `Entra's What If agrees: no enabled policy that requires MFA or blocks applies${
        answer.applies.length ? ` (it applies ${named(answer.applies, policies)})` : ''
      }`,
    };
  }
  if (sure.length)
    return { status: 'confirmed', answer, reason: `Entra's What If agrees: ${named(sure, policies)} applies` };
  if (undetermined || answer.stoppers.length)
    return {
      status: 'inconclusive',
      answer,
      reason: undetermined ?? 'Entra applies only policies that may demand MFA',
    };
  return {
    status: 'disputed',
    answer,
    reason: "Entra's What If says no enabled policy that requires MFA or blocks applies to this sign-in",
  };
}
