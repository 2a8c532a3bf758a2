// Sign-in logs for the test Graph server (GET /v1.0/auditLogs/signIns, also /beta): rows in Graph's signIn shape,
// either the snapshot's `v1.0/auditLogs/signIns` list or GENERATED on demand for big benchmark tenants.
//
// Generated logs never exist in memory: row g (0 = newest) is a pure function of (users, options, g). Rows are
// dealt round-robin over the users (row g belongs to user g mod U, its k-th sign-in with k = floor(g / U)) and
// spread evenly, newest first, over the `days` before `now`, so:
//   - a createdDateTime bound is a range of g found by binary search,
//   - `userId eq '…'` visits only that user's rows (g = k·U + i),
//   - the other clauses are checked row by row from where the last page stopped ($skiptoken = next g),
// which makes every page O(page size) (over the rows it has to skip when a clause is selective; a page stops after
// `scanBudget` rows with a nextLink, possibly short or empty, as Graph's own sign-in paging does).
//
// The supported OData subset (anything else → 400 Request_UnsupportedQuery, as Graph answers):
//   $filter  clauses joined by `and` (no `or`, no `not`), each optionally in parentheses:
//              createdDateTime  eq|ne|ge|gt|le|lt  2025-01-31T00:00:00Z   (unquoted DateTimeOffset)
//              status/errorCode eq|ne|ge|gt|le|lt  0                      (integer)
//              userId | userPrincipalName | appId | appDisplayName | authenticationRequirement |
//              conditionalAccessStatus | clientAppUsed | ipAddress  eq|ne  'text'  (ids and UPNs ignore case)
//              isInteractive  eq|ne  true|false
//   $select  top-level signIn properties (an unknown one → 400); id is always kept
//   $top     1…maxTop (default maxTop = 1000, like Graph); $skiptoken from nextLink; $count=true → @odata.count
//   $orderby only `createdDateTime desc` (the order rows are served in anyway)

/** The signIn properties the server knows (for $select). */
export const SIGN_IN_PROPERTIES = Object.freeze([
  'id',
  'createdDateTime',
  'userDisplayName',
  'userPrincipalName',
  'userId',
  'appId',
  'appDisplayName',
  'ipAddress',
  'clientAppUsed',
  'correlationId',
  'conditionalAccessStatus',
  'isInteractive',
  'riskDetail',
  'riskLevelAggregated',
  'riskLevelDuringSignIn',
  'riskState',
  'riskEventTypes',
  'riskEventTypes_v2',
  'resourceDisplayName',
  'resourceId',
  'status',
  'deviceDetail',
  'location',
  'appliedConditionalAccessPolicies',
  'authenticationRequirement',
  'authenticationDetails',
  'authenticationMethodsUsed',
  'mfaDetail',
  'signInEventTypes',
  'userType',
  'tokenIssuerType',
]);

/** Properties only beta's signIn has (v1.0's lacks them: $select or $filter on one of them is a 400 there). */
export const BETA_ONLY_SIGN_IN_PROPERTIES = Object.freeze([
  'authenticationRequirement',
  'authenticationDetails',
  'authenticationMethodsUsed',
  'mfaDetail',
  'signInEventTypes',
  'userType',
  'tokenIssuerType',
]);

const STRING_FIELDS = new Map(
  [
    'userId',
    'userPrincipalName',
    'appId',
    'appDisplayName',
    'authenticationRequirement',
    'conditionalAccessStatus',
    'clientAppUsed',
    'ipAddress',
  ].map((f) => [f.toLowerCase(), f]),
);
const CASELESS = new Set(['userId', 'userPrincipalName', 'appId']);
const OPS = new Set(['eq', 'ne', 'ge', 'gt', 'le', 'lt']);

/**
 * Parse a $filter of the subset above: { clauses: [{ field, op, value }] } or { error }.
 * value: epoch ms for createdDateTime, a number for status/errorCode, a boolean for isInteractive, else a string.
 * @param {string} text
 */
export function parseSignInFilter(text) {
  const clauses = [];
  const parts = splitAnd(text);
  if (!parts) return { error: `Unsupported filter: ${text}` };
  for (const raw of parts) {
    let part = raw.trim();
    while (part.startsWith('(') && part.endsWith(')')) part = part.slice(1, -1).trim();
    const m = /^([A-Za-z]+(?:\/[A-Za-z]+)?)\s+([A-Za-z]+)\s+(.+)$/.exec(part);
    if (!m) return { error: `Unsupported filter clause: ${raw.trim()}` };
    const [, path, opText, literal] = m;
    const op = opText.toLowerCase();
    if (!OPS.has(op)) return { error: `Unsupported operator '${opText}'` };
    const name = path.toLowerCase();
    if (name === 'createddatetime') {
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/.test(literal))
        return { error: `Invalid DateTimeOffset literal: ${literal}` };
      const ms = Date.parse(literal.replace(/(\.\d{3})\d+/, '$1'));
      if (Number.isNaN(ms)) return { error: `Invalid DateTimeOffset literal: ${literal}` };
      clauses.push({ field: 'createdDateTime', op, value: ms });
    } else if (name === 'status/errorcode') {
      if (!/^-?\d+$/.test(literal)) return { error: `Invalid Int32 literal: ${literal}` };
      clauses.push({ field: 'status/errorCode', op, value: Number(literal) });
    } else if (name === 'isinteractive') {
      if (!/^(true|false)$/.test(literal) || (op !== 'eq' && op !== 'ne'))
        return { error: `Unsupported clause on isInteractive: ${part}` };
      clauses.push({ field: 'isInteractive', op, value: literal === 'true' });
    } else if (STRING_FIELDS.has(name)) {
      const s = /^'((?:[^']|'')*)'$/.exec(literal);
      if (!s || (op !== 'eq' && op !== 'ne')) return { error: `Unsupported clause: ${part}` };
      clauses.push({ field: STRING_FIELDS.get(name), op, value: s[1].replace(/''/g, "'") });
    } else return { error: `Could not find a property named '${path}' on type 'microsoft.graph.signIn'.` };
  }
  return { clauses };
}

/** Split on top-level ` and ` (outside quotes and parentheses); undefined when there is an `or`/`not`. */
function splitAnd(text) {
  const parts = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") quoted = !quoted;
    if (quoted) continue;
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    if (depth < 0) return undefined;
    const rest = text.slice(i);
    if (/^\s(or|not)\s/i.test(rest) || (i === 0 && /^not\s/i.test(rest))) return undefined;
    if (depth === 0 && /^\sand\s/i.test(rest)) {
      parts.push(text.slice(start, i));
      i += 4;
      start = i + 1;
    }
  }
  if (quoted || depth !== 0) return undefined;
  parts.push(text.slice(start));
  return parts.every((p) => p.trim()) ? parts : undefined;
}

/** Whether a row passes every clause. */
export function rowMatches(row, clauses) {
  for (const c of clauses) {
    let actual;
    if (c.field === 'createdDateTime') actual = Date.parse(row.createdDateTime);
    else if (c.field === 'status/errorCode') actual = row.status?.errorCode;
    else actual = row[c.field];
    let expected = c.value;
    if (CASELESS.has(c.field) && typeof actual === 'string') {
      actual = actual.toLowerCase();
      expected = String(expected).toLowerCase();
    }
    if (!compare(actual, c.op, expected)) return false;
  }
  return true;
}

function compare(a, op, e) {
  switch (op) {
    case 'eq':
      return a === e;
    case 'ne':
      return a !== e;
    case 'ge':
      return a >= e;
    case 'gt':
      return a > e;
    case 'le':
      return a <= e;
    default:
      return a < e;
  }
}

/** A few first-party apps sign-ins are made to (id, name, resource). */
const APPS = [
  ['00000002-0000-0ff1-ce00-000000000000', 'Office 365 Exchange Online'],
  ['00000003-0000-0ff1-ce00-000000000000', 'Office 365 SharePoint Online'],
  ['1fec8e78-bce4-4aaf-ab1b-5451cc387264', 'Microsoft Teams'],
  ['4765445b-32c6-49b0-83e6-1d93765276ca', 'OfficeHome'],
  ['c44b4083-3bb0-49c1-b47d-974e53cbdf3c', 'Azure Portal'],
  ['04b07795-8ddb-461a-bbee-02f9e1bf7b46', 'Microsoft Azure CLI'],
];
const CLIENTS = ['Browser', 'Browser', 'Mobile Apps and Desktop clients', 'Mobile Apps and Desktop clients'];
const PLACES = [
  ['203.0.113.', 'Amsterdam', 'Noord-Holland', 'NL'],
  ['198.51.100.', 'Rotterdam', 'Zuid-Holland', 'NL'],
  ['192.0.2.', 'Brussels', 'Brussels', 'BE'],
  ['100.64.12.', 'Seattle', 'Washington', 'US'],
];

/** 32-bit integer hash of (seed, n, salt): deterministic, well mixed. */
function hash(seed, n, salt) {
  let h =
    (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(n + 0x632be5ab, 0xc2b2ae35) ^ (salt * 0x27d4eb2f)) >>> 0;
  h ^= Math.floor(n / 4294967296);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}
const unit = (seed, n, salt) => hash(seed, n, salt) / 4294967296;
const hex = (seed, n, salt) => hash(seed, n, salt).toString(16).padStart(8, '0');
const FAILED_STATUS = () => ({
  errorCode: 50126,
  failureReason: 'Error validating credentials due to invalid username or password.',
  additionalDetails: null,
});

/** The order of a generated row's properties (Graph's). */
const ROW_ORDER = [
  'id',
  'createdDateTime',
  'userDisplayName',
  'userPrincipalName',
  'userId',
  'appId',
  'appDisplayName',
  'ipAddress',
  'clientAppUsed',
  'correlationId',
  'conditionalAccessStatus',
  'isInteractive',
  'riskDetail',
  'riskLevelAggregated',
  'riskLevelDuringSignIn',
  'riskState',
  'riskEventTypes_v2',
  'resourceDisplayName',
  'resourceId',
  'status',
  'deviceDetail',
  'location',
  'appliedConditionalAccessPolicies',
  'authenticationRequirement',
  'authenticationDetails',
];

/** The authentication steps of a generated sign-in: a wrong password, a password alone, or a password and MFA. */
function detailsOf(created, failed, single) {
  const step = (method, detail, succeeded, result, requirement) => ({
    authenticationStepDateTime: created,
    authenticationMethod: method,
    authenticationMethodDetail: detail,
    succeeded,
    authenticationStepResultDetail: result,
    authenticationStepRequirement: requirement,
  });
  if (failed) {
    return [
      step(
        'Password',
        'Password in the cloud',
        false,
        'Invalid username or password or Invalid on-premise username or password.',
        'Primary authentication',
      ),
    ];
  }
  const password = step('Password', 'Password in the cloud', true, 'Correct password', 'Primary authentication');
  if (single) return [password];
  return [
    password,
    step('Mobile app notification', null, true, 'MFA successfully completed', 'Multifactor authentication'),
  ];
}

/**
 * A source of sign-in rows: { size, rowAt(g, fields?), candidates(clauses, from) → iterator of g, indexOfUser,
 * exactTime (true when candidates() already applies the createdDateTime clauses but `ne`) }.
 * @param {{ rows?: object[], users?: object[], generate?: object, now: number }} input
 */
export function createSignInSource({ rows, users, generate, now }) {
  if (!generate) {
    const list = Array.isArray(rows) ? rows : [];
    return {
      size: list.length,
      rowAt: (g) => list[g],
      *candidates(_clauses, from) {
        for (let g = from; g < list.length; g++) yield g;
      },
    };
  }
  const people = Array.isArray(users) ? users : [];
  const U = people.length;
  const perUser = generate.perUser ?? 20;
  const size = U * perUser;
  const windowMs = (generate.days ?? 30) * 86_400_000;
  const seed = (generate.seed ?? 1) >>> 0;
  const singleShare = generate.singleFactorShare ?? 0.05;
  const failShare = generate.failureShare ?? 0.02;
  const forcedSingle = new Set((generate.singleFactorUsers ?? []).map((id) => String(id).toLowerCase()));
  const step = size > 0 ? windowMs / size : 0;
  const timeOf = (g) => now - Math.floor((g + unit(seed, g, 1)) * step);
  let index;
  const indexOfUser = (id) => {
    if (!index) {
      index = new Map();
      people.forEach((u, i) => index.set(String(u.id).toLowerCase(), i));
    }
    return index.get(String(id).toLowerCase());
  };
  const singleFactorUser = (i) =>
    forcedSingle.has(String(people[i].id).toLowerCase()) || unit(seed, i, 7) < singleShare;

  /**
   * Row g, with only `fields` when given (a Set of top-level names; `id` always): a page of a lean $select is made
   * without building the properties nobody asked for, as a real store reads only the columns a query names.
   */
  let lastFields;
  let lastNames = ROW_ORDER;
  function rowAt(g, fields) {
    if (fields !== lastFields) {
      lastFields = fields;
      lastNames = fields ? ROW_ORDER.filter((name) => name === 'id' || fields.has(name)) : ROW_ORDER;
    }
    const i = g % U;
    const row = { g, i, user: people[i], single: singleFactorUser(i), failed: unit(seed, g, 2) < failShare };
    const out = {};
    for (const name of lastNames) out[name] = valueOf(name, row);
    return out;
  }

  /** One property of a generated row (`row`: its index g, user index i, user, single-factor and failure flags). */
  function valueOf(name, { g, i, user, single, failed }) {
    switch (name) {
      case 'id':
        return idOf(g, 10);
      case 'createdDateTime':
        return new Date(timeOf(g)).toISOString();
      case 'userDisplayName':
        return user.displayName ?? null;
      case 'userPrincipalName':
        return user.userPrincipalName ?? null;
      case 'userId':
        return user.id;
      case 'appId':
      case 'resourceId':
        return APPS[hash(seed, g, 3) % APPS.length][0];
      case 'appDisplayName':
      case 'resourceDisplayName':
        return APPS[hash(seed, g, 3) % APPS.length][1];
      case 'ipAddress':
        return `${PLACES[hash(seed, i, 4) % PLACES.length][0]}${1 + (hash(seed, i, 6) % 250)}`;
      case 'clientAppUsed':
        return CLIENTS[hash(seed, g, 5) % CLIENTS.length];
      case 'correlationId':
        return idOf(g, 20);
      case 'conditionalAccessStatus':
        return failed || single ? 'notApplied' : 'success';
      case 'isInteractive':
        return true;
      case 'riskEventTypes_v2':
      case 'appliedConditionalAccessPolicies':
        return [];
      case 'status':
        return failed ? FAILED_STATUS() : { errorCode: 0, failureReason: 'Other.', additionalDetails: null };
      case 'deviceDetail': {
        const browser = CLIENTS[hash(seed, g, 5) % CLIENTS.length] === 'Browser';
        return {
          deviceId: '',
          displayName: '',
          operatingSystem: browser ? 'Windows10' : 'Ios',
          browser: browser ? 'Edge 120.0.0' : 'Rich Client 5.0',
          isCompliant: false,
          isManaged: false,
          trustType: '',
        };
      }
      case 'location': {
        const [, city, state, countryOrRegion] = PLACES[hash(seed, i, 4) % PLACES.length];
        return { city, state, countryOrRegion, geoCoordinates: null };
      }
      case 'authenticationRequirement':
        return failed || single ? 'singleFactorAuthentication' : 'multiFactorAuthentication';
      case 'authenticationDetails':
        return detailsOf(new Date(timeOf(g)).toISOString(), failed, single);
      default:
        return 'none'; // the risk properties
    }
  }

  /** A unique id for row g (salt 10: the sign-in, 20: its correlation id): the seed's prefix and g in hex. */
  const prefix = hex(seed, 0, 99);
  const idOf = (g, salt) =>
    `${prefix}-${salt.toString(16).padStart(4, '0')}-4000-a000-${g.toString(16).padStart(12, '0')}`;

  /** First g (0 … size) with timeOf(g) < t, by binary search (times never increase with g). */
  const firstOlderThan = (t) => {
    let lo = 0;
    let hi = size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (timeOf(mid) < t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };

  function* candidates(clauses, from) {
    let lo = from;
    let hi = size;
    for (const c of clauses) {
      if (c.field !== 'createdDateTime') continue;
      if (c.op === 'ge') hi = Math.min(hi, firstOlderThan(c.value));
      else if (c.op === 'gt') hi = Math.min(hi, firstOlderThan(c.value + 1));
      else if (c.op === 'le') lo = Math.max(lo, firstOlderThan(c.value + 1));
      else if (c.op === 'lt') lo = Math.max(lo, firstOlderThan(c.value));
      else if (c.op === 'eq') {
        lo = Math.max(lo, firstOlderThan(c.value + 1));
        hi = Math.min(hi, firstOlderThan(c.value));
      }
    }
    const byUser = clauses.find((c) => c.field === 'userId' && c.op === 'eq');
    if (byUser) {
      const i = indexOfUser(byUser.value);
      if (i === undefined) return;
      for (let g = lo <= i ? i : i + Math.ceil((lo - i) / U) * U; g < hi; g += U) yield g;
      return;
    }
    for (let g = lo; g < hi; g++) yield g;
  }

  /** How many rows match (cheap when only time and user clauses are used). */
  function count(clauses) {
    const cheap =
      clauses.filter((c) => c.field === 'userId').length <= 1 &&
      clauses.every((c) => (c.field === 'createdDateTime' && c.op !== 'ne') || (c.field === 'userId' && c.op === 'eq'));
    let n = 0;
    if (cheap) {
      for (const _ of candidates(clauses, 0)) n++; // counted without making rows
      return n;
    }
    for (const g of candidates(clauses, 0)) if (rowMatches(rowAt(g), clauses)) n++;
    return n;
  }

  // candidates() bounds createdDateTime exactly (all but `ne`): the server need not check it row by row.
  return { size, rowAt, candidates, count, indexOfUser, exactTime: true };
}
