// A Microsoft Graph test server (plain ESM JavaScript, so `npm run bench` needs no build step for it; the tests use it
// through test/helpers/graph-server.ts). It serves a snapshot (the format of `--save-snapshot`, docs/tenant.md) over HTTPS the way Graph
// does: paging with @odata.nextLink and $skiptoken (honouring $top up to a maximum), JSON $batch (20 per batch, answers
// in another order than asked), $select projection, the $filter and $expand the collector uses, a bearer-token check,
// and injectable faults: 429 with and without Retry-After (also inside a batch), 500/503/504, 403, connection resets,
// slow answers and truncated bodies. It counts what it is asked.
//
// It also answers Conditional Access What If (POST /{v1.0|beta}/identity/conditionalAccess/evaluate, also inside a
// $batch) with the independent evaluator of bench/what-if-evaluator.js, optionally made to disagree with the engine
// (options.whatIf), and serves sign-in logs (GET /{v1.0|beta}/auditLogs/signIns) from the snapshot or generated
// lazily (options.signIns; bench/sign-in-log.js documents the OData subset).
import { createServer } from 'node:https';
import { gzipSync } from 'node:zlib';
import { createWhatIfEvaluator, validateWhatIfRequest } from './what-if-evaluator.js';
import {
  BETA_ONLY_SIGN_IN_PROPERTIES,
  createSignInSource,
  parseSignInFilter,
  rowMatches,
  SIGN_IN_PROPERTIES,
} from './sign-in-log.js';

/** Responses at least this long are gzipped for a client that accepts it. */
const GZIP_FROM = 8192;

/**
 * @typedef {object} Fault
 * @property {string | RegExp} path  matched against the request path, e.g. "/v1.0/users" or /transitiveMembers/
 * @property {'status'|'reset'|'slow'|'truncated'|'bad-json'} kind
 * @property {number} [status]      for kind 'status' (429, 500, 503, 504, 403, …)
 * @property {number | string} [retryAfter]  Retry-After header value for kind 'status'
 * @property {string} [code]        Graph error code for kind 'status'
 * @property {number} [delayMs]     for kind 'slow'
 * @property {boolean} [inBatch]    apply to entries inside a $batch instead of whole HTTP requests
 * @property {number} [times]       how many times to fire (default 1; Infinity for always)
 * @property {number} [skip]        let this many matching requests through first (default 0)
 */

const GRAPH_ERROR = (code, message) => ({ error: { code, message, innerError: { 'request-id': 'test' } } });
const FORBIDDEN = () =>
  GRAPH_ERROR('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
const NO_PREMIUM_LICENCE = () =>
  GRAPH_ERROR(
    'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
    "Neither tenant is B2C or tenant doesn't have premium license",
  );

export async function startGraphServer(options) {
  const {
    key,
    cert,
    snapshot,
    token,
    latencyMs = 0,
    maxTop = 999,
    defaultTop = 100,
    pageSize = Infinity,
    ignoreExpand = false,
    whatIf = {},
    signIns = {},
  } = options;
  const graph = snapshot.graph ?? {};
  /** @type {Array<Fault & { fired: number, seen: number }>} */
  const faults = [];
  const stats = {
    requests: 0,
    batches: 0,
    batchSubRequests: 0,
    authFailures: 0,
    inFlight: 0,
    maxInFlight: 0,
    byPath: new Map(),
    conditionalAccessTimes: [],
    faultsFired: 0,
    preparedHits: 0,
    gzipped: 0,
    /** Path and query of every GET inside a $batch, in the order received. */
    batched: [],
    /** What If evaluations that reached the evaluator (not those answered by an injected fault), with their bodies. */
    whatIf: { requests: 0, bodies: [] },
    /** Sign-in log pages answered, and the rows in them. */
    signIns: { requests: 0, rows: 0, selects: new Map() },
  };
  const evaluator = createWhatIfEvaluator(graph);
  const signInNow = signIns.now === undefined ? Date.now() : new Date(signIns.now).getTime();
  let signInSource;
  const signInLog = () =>
    (signInSource ??= createSignInSource({
      rows: graph['v1.0/auditLogs/signIns'] ?? graph['beta/auditLogs/signIns'],
      users: graph['v1.0/users'],
      generate: signIns.perUser === undefined ? undefined : signIns,
      now: signInNow,
    }));
  /** key → Map(offset → items) for collections, or the object served */
  const served = new Map();

  const addFault = (fault) => faults.push({ times: 1, skip: 0, ...fault, fired: 0, seen: 0 });
  for (const fault of options.faults ?? []) addFault(fault);

  const takeFault = (path, inBatch) => {
    for (const fault of faults) {
      if (Boolean(fault.inBatch) !== inBatch) continue;
      const matches =
        typeof fault.path === 'string'
          ? path === fault.path || path.startsWith(fault.path + '?')
          : fault.path.test(path);
      if (!matches) continue;
      fault.seen++;
      if (fault.seen <= fault.skip || fault.fired >= fault.times) continue;
      fault.fired++;
      stats.faultsFired++;
      return fault;
    }
    return undefined;
  };

  const server = createServer({ key, cert }, (req, res) => {
    stats.requests++;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    res.on('close', () => stats.inFlight--);
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      setTimeout(() => handle(req, res, body), latencyMs);
    });
  });

  const send = (res, status, payload, headers = {}) =>
    sendText(res, status, payload === undefined ? '' : JSON.stringify(payload), undefined, headers);

  /** `made`: an answer made ahead, which keeps its compressed body for the next time it is sent. */
  const sendText = (res, status, text, made, headers = {}) => {
    // Graph compresses what a client accepts compressed; large pages only (a few bytes are not worth the work).
    const gzip = text.length >= GZIP_FROM && /\bgzip\b/i.test(String(res.req?.headers['accept-encoding'] ?? ''));
    const body = gzip ? (made?.gz ?? gzipSync(text, { level: 1 })) : text;
    if (gzip) stats.gzipped++;
    res.writeHead(status, {
      'content-type': 'application/json; odata.metadata=minimal',
      'content-length': Buffer.byteLength(body),
      ...(gzip ? { 'content-encoding': 'gzip', vary: 'Accept-Encoding' } : {}),
      ...headers,
    });
    res.end(body);
  };

  function handle(req, res, body) {
    const url = new URL(req.url, `https://${req.headers.host}`);
    const path = url.pathname;
    stats.byPath.set(path, (stats.byPath.get(path) ?? 0) + 1);
    if (/\/identity\/conditionalAccess\//i.test(path)) stats.conditionalAccessTimes.push(Date.now());

    const auth = req.headers.authorization;
    const bearer = typeof auth === 'string' && /^Bearer \S+$/.test(auth) ? auth.slice(7) : undefined;
    const ok =
      bearer !== undefined && (token === undefined || (typeof token === 'function' ? token(bearer) : bearer === token));
    if (!ok) {
      stats.authFailures++;
      return send(res, 401, GRAPH_ERROR('InvalidAuthenticationToken', 'Access token is empty or invalid.'));
    }

    const fault = takeFault(path + url.search, false);
    if (fault) {
      if (fault.kind === 'reset') return req.socket.destroy();
      if (fault.kind === 'status') return sendFault(res, fault);
      if (fault.kind === 'slow') return setTimeout(() => route(req, res, url, body, fault), fault.delayMs ?? 2000);
      return route(req, res, url, body, fault);
    }
    return route(req, res, url, body, undefined);
  }

  function sendFault(res, fault) {
    const headers = fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) };
    const status = fault.status ?? 503;
    const code =
      fault.code ??
      (status === 429 ? 'TooManyRequests' : status === 403 ? 'Authorization_RequestDenied' : 'ServiceUnavailable');
    send(res, status, GRAPH_ERROR(code, `injected ${status}`), headers);
  }

  function route(req, res, url, body, fault) {
    const batch = /^\/(v1\.0|beta)\/\$batch$/.exec(url.pathname);
    const evaluate = EVALUATE_PATH.exec(url.pathname);
    let answer;
    if (batch && req.method === 'POST') answer = answerBatch(batch[1], body, url.origin, req);
    else if (evaluate && req.method === 'POST') answer = answerWhatIf(evaluate[1], body, url.origin, req);
    else if (evaluate) answer = { status: 405, body: GRAPH_ERROR('BadRequest', 'method not allowed') };
    else if (req.method === 'GET') {
      answer = prepared.get(url.pathname + url.search);
      if (answer) stats.preparedHits++;
      else answer = answerGet(url);
    } else answer = { status: 405, body: GRAPH_ERROR('BadRequest', 'method not allowed') };

    if (fault && (fault.kind === 'truncated' || fault.kind === 'bad-json')) {
      const text = JSON.stringify(answer.body);
      const half = text.slice(0, Math.floor(text.length / 2));
      if (fault.kind === 'bad-json') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(half) });
        return res.end(half);
      }
      // Announce the whole length, send half, then drop the connection.
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.write(half);
      return setTimeout(() => res.socket?.destroy(), 5);
    }
    if (
      /\/identity\/conditionalAccess\/policies$/i.test(url.pathname) &&
      answer.body &&
      !prefersUnknownEnumMembers(req)
    ) {
      answer = { ...answer, body: withEvolvableEnumsHidden(answer.body) };
    }
    if (answer.commit) answer.commit();
    if (answer.text !== undefined) return sendText(res, answer.status, answer.text, answer);
    send(res, answer.status, answer.body, answer.headers);
  }

  /**
   * Graph's evolvable enums: members added after `unknownFutureValue` (platform `linux`) are sent as
   * `unknownFutureValue` unless the request says `Prefer: include-unknown-enum-members`.
   */
  function prefersUnknownEnumMembers(req) {
    return String(req.headers.prefer ?? '')
      .split(',')
      .some((p) => p.trim().toLowerCase() === 'include-unknown-enum-members');
  }
  function withEvolvableEnumsHidden(body) {
    const hide = (list) => (Array.isArray(list) ? list.map((x) => (x === 'linux' ? 'unknownFutureValue' : x)) : list);
    const value = (body.value ?? []).map((p) => {
      const platforms = p?.conditions?.platforms;
      if (!platforms) return p;
      const shown = {
        ...platforms,
        includePlatforms: hide(platforms.includePlatforms),
        excludePlatforms: hide(platforms.excludePlatforms),
      };
      return { ...p, conditions: { ...p.conditions, platforms: shown } };
    });
    return { ...body, value };
  }

  /** GET of one path: { status, body, commit? } (commit records what was served, once it is sent whole). */
  function answerGet(url) {
    const [, version, rest] = /^\/(v1\.0|beta)\/(.*)$/.exec(url.pathname) ?? [];
    if (!version) return { status: 400, body: GRAPH_ERROR('BadRequest', 'Invalid version') };
    const key = `${version}/${decodeURIComponent(rest).replace(/\/+$/, '')}`;
    const q = url.searchParams;
    if (/^(v1\.0|beta)\/auditLogs\/signIns$/i.test(key)) return answerSignIns(url, version);
    let value = graph[key];
    if (value === undefined && key === 'v1.0/groups') value = [];
    // A group by id, from the snapshot's group list (or a bare one when only its members are known).
    const groupById = /^v1\.0\/groups\/([^/]+)$/.exec(key);
    if (value === undefined && groupById) {
      const groups = Array.isArray(graph['v1.0/groups']) ? graph['v1.0/groups'] : [];
      const group = groups.find((g) => g.id === groupById[1]);
      if (group) value = project(group, q.get('$select'));
    }
    if (value === undefined)
      return { status: 404, body: GRAPH_ERROR('Request_ResourceNotFound', `Resource '${key}' does not exist.`) };

    if (!Array.isArray(value)) {
      return {
        status: 200,
        body: { '@odata.context': `${url.origin}/${version}/$metadata#${rest}/$entity`, ...value },
        commit: () => served.set(key, value),
      };
    }

    const top = q.has('$top') ? Number(q.get('$top')) : defaultTop;
    if (!Number.isInteger(top) || top < 1 || top > maxTop) {
      return {
        status: 400,
        body: GRAPH_ERROR(
          'Request_UnsupportedQuery',
          `Invalid page size specified: '${q.get('$top')}'. Must be between 1 and ${maxTop} inclusive.`,
        ),
      };
    }
    let items = value;
    const filter = q.get('$filter');
    if (filter) {
      const filtered = applyFilter(items, filter);
      if (!filtered)
        return { status: 400, body: GRAPH_ERROR('Request_UnsupportedQuery', `Unsupported filter: ${filter}`) };
      items = filtered;
    }
    const pageTop = Math.min(top, pageSize);
    const skip = q.has('$skiptoken') ? decodeSkipToken(q.get('$skiptoken')) : 0;
    if (skip === undefined) return { status: 400, body: GRAPH_ERROR('Request_BadRequest', 'Invalid $skiptoken') };
    const page = items
      .slice(skip, skip + pageTop)
      .map((item) => shaped(item, ignoreExpand ? null : q.get('$expand'), q.get('$select')));
    const payload = { '@odata.context': `${url.origin}/${version}/$metadata#${rest}`, value: page };
    if (skip + pageTop < items.length) {
      const next = new URL(url.pathname, url.origin);
      for (const [name, v] of q) if (name !== '$skiptoken') next.searchParams.set(name, v);
      next.searchParams.set('$skiptoken', encodeSkipToken(skip + pageTop));
      payload['@odata.nextLink'] = next.toString();
    }
    return {
      status: 200,
      body: payload,
      commit: () => {
        if (!served.has(key) || !(served.get(key) instanceof Map)) served.set(key, new Map());
        // Answers to different filters (e.g. one service principal per appId) are kept side by side.
        served.get(key).set(filter ? `${filter}\u0000${skip}` : skip, page);
      },
    };
  }

  /** POST …/identity/conditionalAccess/evaluate: { status, body }. */
  function answerWhatIf(version, text, origin, req) {
    stats.whatIf.requests++;
    let request;
    try {
      request = typeof text === 'string' ? JSON.parse(text) : text;
    } catch {
      stats.whatIf.bodies.push(text);
      return { status: 400, body: GRAPH_ERROR('BadRequest', 'Invalid JSON in the request body.') };
    }
    stats.whatIf.bodies.push(request);
    if (whatIf.error === 'forbidden') return { status: 403, body: FORBIDDEN() };
    const invalid = validateWhatIfRequest(request);
    if (invalid) return { status: 400, body: GRAPH_ERROR('BadRequest', invalid) };
    let results = evaluator.evaluate(request);
    const flip = whatIf.disagree?.(request);
    const flipped = flip === true ? undefined : new Set(Array.isArray(flip) ? flip.map(String) : []);
    results = results.map((r) => {
      const override = (whatIf.overrides ?? []).find(
        (o) => o.policyId === r.policy.id && (o.when === undefined || o.when(request)),
      );
      if (override) {
        const reason = override.applies ? 'notSet' : (override.reason ?? 'users');
        return { ...r, policyApplies: Boolean(override.applies), analysisReasons: reason };
      }
      if (flip === true || flipped?.has(r.policy.id)) {
        const applies = !r.policyApplies;
        return { ...r, policyApplies: applies, analysisReasons: applies ? 'notSet' : 'users' };
      }
      return r;
    });
    if (request.appliedPoliciesOnly === true) results = results.filter((r) => r.policyApplies);
    const hide = !prefersUnknownEnumMembers(req);
    const value = results.map(({ policy, policyApplies, analysisReasons }) => {
      const shown = hide ? withEvolvableEnumsHidden({ value: [policy] }).value[0] : policy;
      return { ...shown, policyApplies, analysisReasons };
    });
    return {
      status: 200,
      body: {
        '@odata.context': `${origin}/${version}/$metadata#Collection(microsoft.graph.whatIfAnalysisResult)`,
        value,
      },
    };
  }

  /** GET …/auditLogs/signIns (see bench/sign-in-log.js): { status, body }. */
  function answerSignIns(url, version) {
    if (signIns.error === 'forbidden') return { status: 403, body: FORBIDDEN() };
    if (signIns.error === 'noLicense') return { status: 403, body: NO_PREMIUM_LICENCE() };
    const q = url.searchParams;
    const unsupported = (message) => ({ status: 400, body: GRAPH_ERROR('Request_UnsupportedQuery', message) });
    const limit = signIns.maxTop ?? 1000;
    const top = q.has('$top') ? Number(q.get('$top')) : (signIns.defaultTop ?? limit);
    if (!Number.isInteger(top) || top < 1 || top > limit)
      return unsupported(`Invalid page size specified: '${q.get('$top')}'. Must be between 1 and ${limit} inclusive.`);
    for (const name of q.keys()) {
      if (!['$filter', '$select', '$top', '$skiptoken', '$count', '$orderby'].includes(name))
        return unsupported(`Query option '${name}' is not supported.`);
    }
    const orderby = q.get('$orderby');
    if (orderby !== null && !/^\s*createdDateTime\s+desc\s*$/i.test(orderby))
      return unsupported(`Unsupported $orderby: ${orderby}`);
    const parsed = q.has('$filter') ? parseSignInFilter(q.get('$filter')) : { clauses: [] };
    if (parsed.error) return unsupported(parsed.error);
    const ignored = new Set(signIns.ignoreFilterOn ?? []);
    const applied = parsed.clauses.filter((c) => !ignored.has(c.field));
    const select = q.get('$select');
    const known = (f) =>
      SIGN_IN_PROPERTIES.includes(f) && (version === 'beta' || !BETA_ONLY_SIGN_IN_PROPERTIES.includes(f));
    const selected = select === null ? undefined : select.split(',').map((f) => f.trim());
    const named = [...(selected ?? []), ...parsed.clauses.map((c) => c.field.split('/')[0])];
    const unknown = named.find((f) => !known(f));
    if (unknown !== undefined)
      return {
        status: 400,
        body: GRAPH_ERROR(
          'BadRequest',
          `Could not find a property named '${unknown}' on type 'microsoft.graph.signIn'.`,
        ),
      };
    const from = q.has('$skiptoken') ? decodeSkipToken(q.get('$skiptoken')) : 0;
    if (from === undefined) return { status: 400, body: GRAPH_ERROR('Request_BadRequest', 'Invalid $skiptoken') };
    const source = signInLog();
    const pageTop = Math.min(top, pageSize);
    // Clauses left to check row by row, and only the selected properties and those they read are made.
    const checked = source.exactTime ? applied.filter((c) => c.field !== 'createdDateTime' || c.op === 'ne') : applied;
    const fields =
      selected === undefined ? undefined : new Set([...selected, ...checked.map((c) => c.field.split('/')[0])]);
    const projectRow = projector(select);
    const budget = signIns.scanBudget ?? 250_000;
    const page = [];
    let next;
    let scanned = 0;
    for (const g of source.candidates(applied, from)) {
      if (page.length === pageTop || scanned === budget) {
        next = g;
        break;
      }
      scanned++;
      const row = source.rowAt(g, fields);
      if (rowMatches(row, checked)) page.push(projectRow(row));
    }
    stats.signIns.requests++;
    stats.signIns.selects.set(select ?? '', (stats.signIns.selects.get(select ?? '') ?? 0) + 1);
    stats.signIns.rows += page.length;
    const payload = { '@odata.context': `${url.origin}/${version}/$metadata#auditLogs/signIns` };
    if (q.get('$count') === 'true' && !q.has('$skiptoken')) {
      payload['@odata.count'] = source.count
        ? source.count(parsed.clauses)
        : [...source.candidates(parsed.clauses, 0)].filter((g) => rowMatches(source.rowAt(g), parsed.clauses)).length;
    }
    payload.value = page;
    if (next !== undefined) {
      const link = new URL(url.pathname, url.origin);
      for (const [name, v] of q) if (name !== '$skiptoken') link.searchParams.set(name, v);
      link.searchParams.set('$skiptoken', encodeSkipToken(next));
      payload['@odata.nextLink'] = link.toString();
    }
    return { status: 200, body: payload };
  }

  function answerBatch(version, text, origin, req) {
    let requests;
    try {
      requests = JSON.parse(text).requests;
    } catch {
      return { status: 400, body: GRAPH_ERROR('BadRequest', 'Invalid batch payload') };
    }
    if (!Array.isArray(requests) || requests.length === 0 || requests.length > 20) {
      return { status: 400, body: GRAPH_ERROR('BadRequest', 'Number of batch requests must be between 1 and 20') };
    }
    const ids = new Set(requests.map((r) => String(r.id).toLowerCase()));
    if (ids.size !== requests.length)
      return { status: 400, body: GRAPH_ERROR('BadRequest', 'Batch request ids must be unique') };
    stats.batches++;
    stats.batchSubRequests += requests.length;
    const commits = [];
    const responses = requests.map((r) => {
      const sub = new URL(`/${version}${r.url.startsWith('/') ? '' : '/'}${r.url}`, origin);
      stats.batched.push(decodeURIComponent(sub.pathname + sub.search));
      const fault = takeFault(sub.pathname + sub.search, true);
      if (fault && fault.kind === 'status') {
        const status = fault.status ?? 429;
        const headers = { 'Content-Type': 'application/json' };
        if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
        return {
          id: r.id,
          status,
          headers,
          body: GRAPH_ERROR(
            fault.code ??
              (status === 429
                ? 'TooManyRequests'
                : status === 403
                  ? 'Authorization_RequestDenied'
                  : 'ServiceUnavailable'),
            `injected ${status}`,
          ),
        };
      }
      const method = (r.method ?? 'GET').toUpperCase();
      if (method === 'POST' && EVALUATE_PATH.test(sub.pathname)) {
        const answer = answerWhatIf(version, r.body ?? '', origin, req);
        return { id: r.id, status: answer.status, headers: { 'Content-Type': 'application/json' }, body: answer.body };
      }
      if (method !== 'GET') return { id: r.id, status: 405, headers: {}, body: GRAPH_ERROR('BadRequest', 'only GET') };
      const answer = answerGet(sub);
      if (answer.commit) commits.push(answer.commit);
      return { id: r.id, status: answer.status, headers: { 'Content-Type': 'application/json' }, body: answer.body };
    });
    // Graph answers in any order; the client must match entries by id.
    responses.reverse();
    return { status: 200, body: { responses }, commit: () => commits.forEach((c) => c()) };
  }

  /** An item as served with this $expand and $select, made once per item and query shape. */
  const shapes = new Map();
  function shaped(item, expandParam, select) {
    if (!expandParam && !select) return item;
    const shape = `${expandParam}|${select}`;
    let cache = shapes.get(shape);
    if (!cache) shapes.set(shape, (cache = new WeakMap()));
    let out = cache.get(item);
    if (!out) cache.set(item, (out = project(expand(item, expandParam), select)));
    return out;
  }

  function expand(item, expandParam) {
    if (expandParam !== 'principal' || item.principal !== undefined || typeof item.principalId !== 'string')
      return item;
    const users = Array.isArray(graph['v1.0/users']) ? graph['v1.0/users'] : [];
    const user = users.find((u) => u.id === item.principalId);
    if (user) {
      return {
        ...item,
        principal: {
          '@odata.type': '#microsoft.graph.user',
          id: user.id,
          displayName: user.displayName,
          userPrincipalName: user.userPrincipalName,
        },
      };
    }
    const isGroup = graph[`v1.0/groups/${item.principalId}/transitiveMembers`] !== undefined;
    return {
      ...item,
      principal: {
        '@odata.type': isGroup ? '#microsoft.graph.group' : '#microsoft.graph.servicePrincipal',
        id: item.principalId,
      },
    };
  }

  /** Answers made ahead of time (see prepare below), by path and query. */
  const prepared = new Map();
  let origin = '';

  return {
    url: await new Promise((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((origin = `https://127.0.0.1:${server.address().port}`))),
    ),
    stats,
    addFault,
    /** What If's indexes built now: a benchmark's first What If request then costs what the others do. */
    warmWhatIf: () => evaluator.warm(),
    /**
     * Make the answers of a paged GET (every page, following nextLink) ahead of time, so a benchmark measures the
     * client and the simulated latency, not this server serialising large pages. Returns the number of pages.
     */
    prepare(pathAndQuery) {
      let next = new URL(pathAndQuery, origin);
      let pages = 0;
      while (next) {
        const answer = answerGet(next);
        const text = JSON.stringify(answer.body);
        const gz = text.length >= GZIP_FROM ? gzipSync(text, { level: 1 }) : undefined;
        prepared.set(next.pathname + next.search, { ...answer, text, gz });
        pages++;
        const link = answer.body?.['@odata.nextLink'];
        next = typeof link === 'string' ? new URL(link) : undefined;
      }
      return pages;
    },
    /** What was served, per key, in the snapshot's shape (collections concatenated in page order). */
    served() {
      const out = {};
      for (const [k, v] of served) {
        out[k] =
          v instanceof Map
            ? [...v.entries()].sort((a, b) => compareOffsets(a[0], b[0])).flatMap(([, items]) => items)
            : v;
      }
      return out;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

const EVALUATE_PATH = /^\/(v1\.0|beta)\/identity\/conditionalAccess\/evaluate$/i;

/** Page offsets in order; filtered answers ("filter\0offset") after them, by filter then offset. */
function compareOffsets(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  const [fa, oa] = a.split('\u0000');
  const [fb, ob] = b.split('\u0000');
  return fa === fb ? Number(oa) - Number(ob) : fa < fb ? -1 : 1;
}

function project(item, select) {
  return projector(select)(item);
}

/** The projection of a $select, made once for every item it is applied to. */
function projector(select) {
  if (!select) return (item) => item;
  const fields = new Set(select.split(',').map((f) => f.trim()));
  return (item) => {
    const out = {};
    for (const name in item) {
      if (name === 'id' || name.startsWith('@odata.') || fields.has(name)) out[name] = item[name];
    }
    return out;
  };
}

function applyFilter(items, filter) {
  const inList = /^\s*(\w+)\s+in\s+\(([^)]*)\)\s*$/i.exec(filter);
  if (inList) {
    const values = new Set([...inList[2].matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1].replace(/''/g, "'")));
    return items.filter((item) => values.has(item[inList[1]]));
  }
  const eq = /^\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(filter);
  if (eq) return items.filter((item) => item[eq[1]] === eq[2].replace(/''/g, "'"));
  return undefined;
}

const encodeSkipToken = (offset) => Buffer.from(`X'${offset.toString(16)}'`).toString('base64url');
function decodeSkipToken(token) {
  const m = /^X'([0-9a-f]+)'$/.exec(Buffer.from(token ?? '', 'base64url').toString('utf8'));
  return m ? parseInt(m[1], 16) : undefined;
}
