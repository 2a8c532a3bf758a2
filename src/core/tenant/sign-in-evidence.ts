/**
 * Sign-in evidence (evaluation.md §9): what Entra recorded of successful sign-ins, held against the verdicts. It can
 * never turn `fail` into `pass`. A single-factor success after the policies' last change contradicts a `pass` (the
 * account becomes `unknown`, with a finding); it proves a gap for a federated account the policies leave undecided.
 */
import type { Snapshot } from '../snapshot.js';
import { GRAPH_KEYS } from '../snapshot.js';
import { isObject, objects, str } from './graph-json.js';
import type { Json } from './graph-json.js';
import type { Policy } from './policy.js';
import type { AccountResult, Finding, SignInEvidence } from './types.js';

/** One successful sign-in, reduced to what a verdict rests on. */
interface SignInRow {
  time: string;
  app: string;
  client: string;
  ip: string;
  location: string;
}

interface UserSignIns {
  singleFactor: SignInRow[];
  mfa: number;
  mfaByClaim: number;
  singleFactorCount: number;
}

export interface SignInData {
  window: { from: string; to: string };
  truncated: boolean;
  byUser: Map<string, UserSignIns>;
}

const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : 0);

function locationWords(v: unknown): string {
  if (!isObject(v)) return '';
  return [str(v.city), str(v.state), str(v.countryOrRegion)].filter((x) => x).join(', ');
}

function rowOf(r: Json): { userId: string; kind: 'single' | 'mfa' | 'claim'; row: SignInRow } | undefined {
  const userId = str(r.userId);
  const time = str(r.createdDateTime);
  if (!userId || !time || !isObject(r.status) || r.status.errorCode !== 0) return undefined;
  const requirement = str(r.authenticationRequirement);
  const row: SignInRow = {
    time,
    app: str(r.appDisplayName) ?? str(r.appId) ?? '',
    client: str(r.clientAppUsed) ?? '',
    ip: str(r.ipAddress) ?? '',
    location: locationWords(r.location),
  };
  if (requirement === 'singleFactorAuthentication') return { userId: userId.toLowerCase(), kind: 'single', row };
  if (requirement !== 'multiFactorAuthentication') return undefined;
  const byClaim = objects(r.authenticationDetails).some((d) =>
    /satisfied by claim/i.test(str(d.authenticationStepResultDetail) ?? ''),
  );
  return { userId: userId.toLowerCase(), kind: byClaim ? 'claim' : 'mfa', row };
}

function entryOf(map: Map<string, UserSignIns>, id: string): UserSignIns {
  let e = map.get(id);
  if (!e) map.set(id, (e = { singleFactor: [], mfa: 0, mfaByClaim: 0, singleFactorCount: 0 }));
  return e;
}

/** The sign-ins of the snapshot, or undefined when they were not collected. */
export function readSignIns(snapshot: Snapshot): SignInData | undefined {
  const raw = snapshot.graph[GRAPH_KEYS.signIns];
  if (!Array.isArray(raw)) return undefined;
  const byUser = new Map<string, UserSignIns>();
  const times: string[] = [];
  for (const r of objects(raw)) {
    const read = rowOf(r);
    if (!read) continue;
    times.push(read.row.time);
    const e = entryOf(byUser, read.userId);
    if (read.kind === 'single') e.singleFactor.push(read.row);
    else e.mfa++;
    if (read.kind === 'claim') e.mfaByClaim++;
  }
  for (const e of byUser.values()) {
    e.singleFactor.sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
    e.singleFactorCount = e.singleFactor.length;
  }
  const w = snapshot.graph[GRAPH_KEYS.signInWindow];
  const win = isObject(w) ? w : {};
  // Counts of the window are authoritative when given (the rows may hold only the single-factor successes).
  if (isObject(win.users)) {
    for (const [id, c] of Object.entries(win.users)) {
      if (!isObject(c)) continue;
      const e = entryOf(byUser, id.toLowerCase());
      e.mfa = Math.max(e.mfa, count(c.mfa));
      e.mfaByClaim = Math.max(e.mfaByClaim, count(c.mfaByClaim));
      e.singleFactorCount = Math.max(e.singleFactorCount, count(c.singleFactor));
    }
  }
  times.sort();
  return {
    window: { from: str(win.from) ?? times[0] ?? '', to: str(win.to) ?? times[times.length - 1] ?? '' },
    truncated: win.truncated === true,
    byUser,
  };
}

/** The last change of the enabled policies (max modifiedDateTime or createdDateTime); undefined when unknown. */
export function lastPolicyChange(enabled: Policy[]): string | undefined {
  let last = '';
  for (const p of enabled) {
    const t = str(p.raw.modifiedDateTime) ?? str(p.raw.createdDateTime);
    if (t === undefined || Number.isNaN(Date.parse(t))) return undefined;
    if (Date.parse(t) > Date.parse(last || '1970-01-01T00:00:00Z')) last = t;
  }
  return last;
}

function words(r: SignInRow): string {
  const where = [r.ip, r.location].filter((x) => x).join(', ');
  return `${r.time} to ${r.app || 'an app'}${r.client ? ` (${r.client})` : ''}${where ? ` from ${where}` : ''}`;
}

function evidenceOf(data: SignInData, e: UserSignIns | undefined): SignInEvidence {
  const last = e?.singleFactor[0];
  return {
    window: data.window,
    singleFactor: { count: e?.singleFactorCount ?? 0, ...(last ? { last } : {}) },
    mfa: { count: e?.mfa ?? 0, ...(e?.mfaByClaim ? { byFederatedClaim: e.mfaByClaim } : {}) },
  };
}

/**
 * Applies the sign-ins to the accounts (mutating them) and returns the findings. `lastChange`: when the enabled
 * policies last changed ('' when there are none; undefined when a policy carries no date): sign-ins before it were
 * made under other policies and are not held against the verdict.
 */
export function applySignIns(data: SignInData, accounts: AccountResult[], lastChange: string | undefined): Finding[] {
  const contradicted: { a: AccountResult; r: SignInRow }[] = [];
  const after = (r: SignInRow) =>
    lastChange !== undefined && (lastChange === '' || Date.parse(r.time) > Date.parse(lastChange));
  const since = lastChange ? ` after the policies' last change (${lastChange})` : '';
  for (const a of accounts) {
    if (a.verdict === 'exempt') continue;
    const e = data.byUser.get(a.id.toLowerCase());
    a.evidence = evidenceOf(data, e);
    const single = e?.singleFactor.find(after);
    if (a.verdict === 'pass' && single) {
      a.engineVerdict ??= 'pass';
      a.verdict = 'unknown';
      a.reasons.push(
        `The policies say every sign-in needs MFA, but Entra recorded a successful single-factor sign-in ${words(single)}${since}. ` +
          'Undecided until it is explained (a policy change, a bypass the policies do not show).',
      );
      contradicted.push({ a, r: single });
    } else if (a.verdict === 'unknown' && a.mechanisms.includes('federated-idp')) {
      federated(a, e, single, since, lastChange);
    }
  }
  if (!contradicted.length) return [];
  const shown = contradicted.slice(0, 5).map(({ a, r }) => `${a.userPrincipalName || a.id} at ${words(r)}`);
  return [
    {
      id: 'sign-in-contradicts-pass',
      severity: 'high',
      message:
        `${contradicted.length} account${contradicted.length === 1 ? '' : 's'} that the policies prove to face MFA signed in ` +
        `with a single factor${since}: ${shown.join('; ')}${contradicted.length > 5 ? '; …' : ''}. They are unknown until explained.`,
      accountIds: contradicted.map(({ a }) => a.id),
    },
  ];
}

/** A federated account the policies leave undecided: a single-factor success proves a gap; MFA by claim is noted. */
function federated(
  a: AccountResult,
  e: UserSignIns | undefined,
  single: SignInRow | undefined,
  since: string,
  lastChange: string | undefined,
): void {
  if (single) {
    a.engineVerdict ??= a.verdict;
    a.verdict = 'fail';
    a.gaps = [
      {
        description: `a successful single-factor sign-in ${words(single)}${since}: Entra recorded it as singleFactorAuthentication, so MFA at the identity provider did not count`,
        policyIds: [],
      },
      ...a.gaps,
    ];
    a.reasons.push(
      `Entra recorded a successful single-factor sign-in ${words(single)}${since}: the account signs in without MFA.`,
    );
    return;
  }
  if (e?.singleFactor.length && lastChange === undefined) {
    a.reasons.push(
      `Entra recorded ${e.singleFactor.length} successful single-factor sign-in${e.singleFactor.length === 1 ? '' : 's'}, but when the policies last changed is not known, so ${e.singleFactor.length === 1 ? 'it proves' : 'they prove'} nothing about the policies now.`,
    );
  }
  if (e && e.mfa > 0 && e.mfaByClaim === e.mfa && e.singleFactorCount === 0) {
    a.reasons.push(
      `${e.mfa === 1 ? 'The one successful sign-in of the window shows' : `All ${e.mfa} successful sign-ins of the window show`} MFA satisfied by the identity provider's claim: evidence, not proof ` +
        '(a sign-in that did not happen in the window is not covered). Prove it with `mfa-audit token`.',
    );
  }
}
