/**
 * Collects a snapshot (contract: "Snapshot format") through a GraphTransport: every key the engine reads, with
 * $select of the fields it needs, the largest page sizes, independent resources in parallel, group members, per-user
 * MFA state and the service principals of apps that policies name through $batch, and only for the groups, users and
 * apps that decide verdicts.
 *
 * Pipelined: the small resources come while users page; once what the engine's choice of users reads is in, each
 * group of user pages that arrives is handed to the choice and its per-user MFA requests go out at once, overlapping
 * the rest of the paging (exact: test/graph/choice.test.ts; see choosesByPage for when it chooses once at the end).
 *
 * Failure policy (never a report that looks complete when it is not):
 * - `v1.0/users` is required: any failure there ends the run (CollectionError, exit 3).
 * - a 401 anywhere ends the run: the token is not accepted.
 * - anything else that fails leaves its key absent and says why in `collectionErrors[key]`; verdicts that depend
 *   on it become unknown (exit 3) while the rest of the audit still runs.
 */
import type { Snapshot } from '../core/snapshot.js';
import { federationConfigurationKey, GRAPH_KEYS, groupMembersKey, perUserMfaKey, SNAPSHOT_FORMAT } from '../core/snapshot.js';
import { CollectionError } from '../errors.js';
import { GUID } from './access-token.js';
import { batchGet, batchStream, errorCode, errorMessage } from './batch.js';
import type { BatchResponse, GraphTransport } from './client.js';
import { GraphRequestError, shortPath } from './client.js';
import { forbiddenReason, PERMISSION_NEEDS, unlicensedReason } from './permissions.js';

/** Fields of `user` the engine reads (all but id/displayName/userPrincipalName are returned only on $select). */
export const USER_FIELDS = [
  'id',
  'userPrincipalName',
  'displayName',
  'userType',
  'accountEnabled',
  'mail',
  'creationType',
  'externalUserState',
  'onPremisesSyncEnabled',
  'identities',
];

/** Fields of `servicePrincipal` the engine reads: whose app it is (`appOwnerOrganizationId`). */
export const SERVICE_PRINCIPAL_FIELDS = ['id', 'appId', 'displayName', 'appOwnerOrganizationId'];

/** Partner Center's agent groups in a partner tenant. */
export const AGENT_GROUPS = ['AdminAgents', 'HelpdeskAgents', 'SalesAgents'];
/**
 * Key of a subset of `v1.0/groups` (id, displayName): the agent groups found by name, then every other group whose
 * members were collected, so messages can name groups.
 */
export const AGENT_GROUPS_KEY = 'v1.0/groups';
/** collectionErrors key used when per-user MFA state could not be read for anyone (one reason, not one per user). */
export const PER_USER_MFA_ALL_KEY = perUserMfaKey('{id}');

const MAX_PAGES = 100_000;
/** At most this many pages of users per call of the engine's choice (a call blocks the event loop). */
const MAX_PAGES_PER_CHOICE = 20;
const enc = encodeURIComponent;

/** The request path (with query) of each collected key. */
export const REQUESTS = {
  users: `v1.0/users?$select=${USER_FIELDS.join(',')}&$top=999`,
  securityDefaults: 'v1.0/policies/identitySecurityDefaultsEnforcementPolicy',
  conditionalAccessPolicies: 'v1.0/identity/conditionalAccess/policies',
  namedLocations: 'v1.0/identity/conditionalAccess/namedLocations',
  authenticationStrengthPolicies: 'v1.0/policies/authenticationStrengthPolicies',
  roleAssignments: 'v1.0/roleManagement/directory/roleAssignments?$expand=principal',
  registrationDetails: 'v1.0/reports/authenticationMethods/userRegistrationDetails?$top=999',
  domains: 'v1.0/domains',
  crossTenantDefault: 'v1.0/policies/crossTenantAccessPolicy/default',
  conditionalAccessPoliciesBeta: 'beta/identity/conditionalAccess/policies',
  // Expanded like role assignments: whether an eligible principal is a user, a group or neither is then known.
  roleEligibility: 'v1.0/roleManagement/directory/roleEligibilityScheduleInstances?$expand=principal',
  agentGroups: `v1.0/groups?$filter=${enc(`displayName in (${AGENT_GROUPS.map((g) => `'${g}'`).join(',')})`)}&$select=id,displayName&$top=999`,
  groupMembers: (id: string) => `/groups/${enc(id)}/transitiveMembers?$select=id,displayName,userPrincipalName&$top=999`,
  groupName: (id: string) => `/groups/${enc(id)}?$select=id,displayName`,
  perUserMfa: (id: string) => `/users/${enc(id)}/authentication/requirements`,
  /** One app id's service principal (none when the app has no service principal in the tenant). */
  servicePrincipal: (appId: string) =>
    `/servicePrincipals?$filter=${enc(`appId eq '${appId}'`)}&$select=${SERVICE_PRINCIPAL_FIELDS.join(',')}`,
};

export interface CollectOptions {
  tenantId: string;
  collectedAt: string;
  /**
   * The engine's choice of users whose per-user MFA state decides their verdict (usersNeedingPerUserMfaState).
   * Called once per group of pages of users, as pages arrive, with a snapshot from choiceSnapshot (those users as
   * `v1.0/users`); ids outside the group are ignored. When a choice per page would not be exact (see choosesByPage),
   * called once with everything collected.
   */
  perUserMfaUsers: (snapshot: Snapshot) => string[] | Promise<string[]>;
  /** Progress lines for people (a no-op unless stderr is a terminal). */
  say?: (line: string) => void;
}

type Item = Record<string, unknown>;

export async function collectSnapshot(transport: GraphTransport, options: CollectOptions): Promise<Snapshot> {
  const say = options.say ?? (() => {});
  const graph: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  let fatal: Error | undefined;

  const stopIfFatal = (): void => {
    if (fatal) throw fatal;
  };

  /** Every page of a collection, `value` items concatenated; @odata.nextLink followed verbatim. */
  const getAll = async (path: string, onPage?: (page: Item[], count: number) => void): Promise<Item[]> => {
    const items: Item[] = [];
    const seen = new Set<string>();
    let next: string | undefined = path;
    for (let page = 0; next !== undefined; page++) {
      stopIfFatal();
      if (page >= MAX_PAGES || seen.has(next)) {
        throw new GraphRequestError(0, undefined, `${shortPath(path)}: paging does not end (@odata.nextLink repeats)`);
      }
      seen.add(next);
      const body = await transport.get(next);
      const value = valueOf(body, path);
      for (const item of value) items.push(item);
      onPage?.(value, items.length);
      const link = body['@odata.nextLink'];
      next = typeof link === 'string' && link !== '' ? link : undefined;
    }
    return items;
  };

  /** Records why `key` is absent; a 401 or a failure of the required user list stops the run instead. */
  const fail = (key: string, error: unknown): void => {
    if (error instanceof GraphRequestError) {
      if (error.status === 401) {
        fatal ??= new CollectionError(
          `Graph refused the access token (401 ${error.graphCode ?? 'Unauthorized'}) on ${key}: sign in again or check the token's audience (${transport.root})`,
        );
        return;
      }
      errors[key] =
        error.status === 403
          ? forbiddenReason(key, error.graphCode)
          : (unlicensedReason(key, error.status, error.graphCode) ?? error.message);
      return;
    }
    if (error instanceof CollectionError) {
      fatal ??= error;
      return;
    }
    fatal ??= error instanceof Error ? error : new Error(String(error));
  };

  const collect = async (key: string, work: () => Promise<unknown>): Promise<void> => {
    try {
      const value = await work();
      if (!fatal) graph[key] = value;
    } catch (error) {
      fail(key, error);
    }
  };

  const collection = (key: string, path: string) => collect(key, () => getAll(path));
  const single = (key: string, path: string) => collect(key, async () => withoutContext(await transport.get(path)));

  // Per-user MFA state (one request per user), only for users no other mechanism decides: chosen page by page as
  // users arrive and sent through $batch at once (see the choice below), so it overlaps the paging of users.
  let forbidden: string | undefined;
  let answered = 0;
  const perUser = batchStream(transport, 'beta', {
    stopped: () => forbidden !== undefined,
    abandoned: () => fatal !== undefined,
    onResponse: (answer) => {
      if (answer.status === 403) forbidden ??= forbiddenReason(PER_USER_MFA_ALL_KEY, errorCode(answer.body));
      if (++answered % 5000 === 0) say(`  per-user MFA state: ${answered.toLocaleString('en-US')} users so far`);
      choosePages();
    },
  });
  /** The chosen users, per choice, in the order of the user list. */
  const chosen: string[][] = [];
  const asked = new Set<string>();
  const choose = async (snapshot: Snapshot, page?: Set<string>): Promise<void> => {
    try {
      // Each user once (a $batch refuses repeated ids), and on a page only that page's users.
      const ids: string[] = [];
      for (const id of await options.perUserMfaUsers(snapshot)) {
        if ((page && !page.has(id)) || asked.has(id)) continue;
        asked.add(id);
        ids.push(id);
      }
      chosen.push(ids);
      perUser.add(ids.map((id) => ({ id, url: REQUESTS.perUserMfa(id) })));
    } catch (error) {
      fatal ??= error instanceof Error ? error : new Error(String(error));
    }
  };
  const userPages: Item[][] = [];
  let pagesChosen = 0;
  let usersDone = false;
  let byPage: Snapshot | undefined;
  let choosing: Promise<void> | undefined;
  // Pages are chosen in groups: each call of the engine first rebuilds its view of policies and groups, which costs
  // about as much as looking at a page of users. A group is chosen once the $batch requests queued so far run low
  // (so every slot stays busy), when many pages wait, or when the user list is complete.
  const lowWater = 4 * 20 * transport.pacer.settings.concurrency;
  const due = (): boolean => {
    const waiting = userPages.length - pagesChosen;
    return waiting > 0 && (usersDone || waiting >= MAX_PAGES_PER_CHOICE || perUser.queued < lowWater);
  };
  /** Chooses users of the pages that wait, a group at a time, letting answers in between. */
  const choosePages = (): void => {
    if (choosing || !byPage || fatal || forbidden !== undefined || !due()) return;
    choosing = (async () => {
      while (!fatal && forbidden === undefined && due()) {
        const end = Math.min(userPages.length, pagesChosen + MAX_PAGES_PER_CHOICE);
        const group: Item[] = [];
        for (; pagesChosen < end; pagesChosen++) {
          for (const user of userPages[pagesChosen]!) group.push(user);
          userPages[pagesChosen] = [];
        }
        await choose(choiceSnapshot(byPage!, group), new Set(group.map((u) => u?.id as string)));
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    })().finally(() => {
      choosing = undefined;
      choosePages();
    });
  };

  // Phase 1: everything that does not depend on anything else, in parallel.
  say('Collecting users, policies, roles, registration details and domains…');
  let lastUsersNote = 0;
  const users = (async () => {
    try {
      graph[GRAPH_KEYS.users] = await getAll(REQUESTS.users, (page, count) => {
        userPages.push(page);
        choosePages();
        if (count - lastUsersNote >= 10_000) {
          lastUsersNote = count;
          say(`  users: ${count.toLocaleString('en-US')} so far (${transport.stats.requests} requests)`);
        }
      });
    } catch (error) {
      if (error instanceof GraphRequestError && error.status !== 401) {
        const reason =
          error.status === 403
            ? `Graph refused v1.0/users (403): the token needs ${PERMISSION_NEEDS.users.grant} (delegated or application)`
            : `cannot read v1.0/users, which every verdict needs: ${error.message}`;
        fatal ??= new CollectionError(reason);
      } else fail(GRAPH_KEYS.users, error);
    } finally {
      usersDone = true;
    }
  })();
  // The three CA lists one after the other: the limiter spaces them anyway. The policies come first because group
  // members wait for them, then the same policies as beta shows them (the choice of users waits for those), then
  // named locations (only location conditions read them).
  const policies = collection(GRAPH_KEYS.conditionalAccessPolicies, REQUESTS.conditionalAccessPolicies);
  const betaPolicies = (async () => {
    await policies;
    if (fatal) return;
    await collection(GRAPH_KEYS.conditionalAccessPoliciesBeta, REQUESTS.conditionalAccessPoliciesBeta);
  })();
  const conditionalAccess = (async () => {
    await betaPolicies;
    if (fatal) return;
    await collection(GRAPH_KEYS.namedLocations, REQUESTS.namedLocations);
  })();
  const roles = collection(GRAPH_KEYS.roleAssignments, REQUESTS.roleAssignments);
  const eligibility = collection(GRAPH_KEYS.roleEligibility, REQUESTS.roleEligibility);
  const agentGroups = collection(AGENT_GROUPS_KEY, REQUESTS.agentGroups);
  // Registration details only add warnings: the choice of users does not wait for their pages.
  const registration = collection(GRAPH_KEYS.registrationDetails, REQUESTS.registrationDetails);
  const others = Promise.all([
    single(GRAPH_KEYS.securityDefaults, REQUESTS.securityDefaults),
    collection(GRAPH_KEYS.authenticationStrengthPolicies, REQUESTS.authenticationStrengthPolicies),
    single(GRAPH_KEYS.crossTenantDefault, REQUESTS.crossTenantDefault),
    (async () => {
      await collection(GRAPH_KEYS.domains, REQUESTS.domains);
      const domains = graph[GRAPH_KEYS.domains];
      if (!Array.isArray(domains)) return;
      const federated = (domains as Item[]).filter(
        (d) => typeof d.id === 'string' && String(d.authenticationType).toLowerCase() === 'federated',
      );
      await Promise.all(
        federated.map((d) =>
          collection(federationConfigurationKey(d.id as string), `v1.0/domains/${enc(d.id as string)}/federationConfiguration`),
        ),
      );
    })(),
  ]);

  // Service principals of the app ids that policies name, through $batch: those the v1.0 policies name as soon as
  // they are in, any that only the beta policies name once those are. Not collected when neither list is.
  const servicePrincipals = (async () => {
    await policies;
    if (fatal) return;
    const first = appIdsNamedBy(graph[GRAPH_KEYS.conditionalAccessPolicies]);
    let refused = false;
    const lookUp = (appIds: string[]) =>
      batchGet(
        transport,
        'v1.0',
        appIds.map((appId) => ({ id: appId, url: REQUESTS.servicePrincipal(appId) })),
        {
          stopped: () => refused,
          abandoned: () => fatal !== undefined,
          onResponse: (answer) => {
            if (answer.status === 403) refused = true;
          },
        },
      );
    const firstAnswers = lookUp(first);
    // Awaited below; a 401 may reject it while the beta policies are still coming.
    firstAnswers.catch(() => {});
    await betaPolicies;
    if (fatal) return;
    const v1 = graph[GRAPH_KEYS.conditionalAccessPolicies];
    const beta = graph[GRAPH_KEYS.conditionalAccessPoliciesBeta];
    if (!Array.isArray(v1) && !Array.isArray(beta)) return;
    const all = appIdsNamedBy(v1, beta);
    const asked = new Set(first);
    const more = all.filter((appId) => !asked.has(appId));
    await collect(GRAPH_KEYS.servicePrincipals, async () => {
      const [earlier, later] = await Promise.all([firstAnswers, lookUp(more)]);
      const items: Item[] = [];
      // In the order the policies name the apps, whatever order the answers came in.
      for (const appId of all) {
        const answer = earlier.get(appId) ?? later.get(appId);
        const path = `v1.0/servicePrincipals?$filter=appId eq '${appId}'`;
        if (!answer) throw new GraphRequestError(0, undefined, `${path}: not sent (another answer was 403)`);
        if (answer.status !== 200) throw entryError(path, answer.status, answer.body);
        for (const item of valueOf(answer.body as Item, path)) items.push(item);
      }
      return items;
    });
  })();

  /** Members (and, for messages, names) of groups, through $batch; names come with `v1.0/groups`. */
  /** Groups whose members were asked for (each once, whichever phase names it first). */
  const requestedGroups = new Set<string>();
  const collectGroupMembers = async (ids: string[], optional: Set<string>): Promise<void> => {
    ids = ids.filter((id) => !requestedGroups.has(id));
    if (ids.length === 0) return;
    for (const id of ids) requestedGroups.add(id);
    const listed = graph[AGENT_GROUPS_KEY];
    const named = new Set(Array.isArray(listed) ? (listed as Item[]).map((g) => g?.id) : []);
    const nameless = Array.isArray(listed) ? ids.filter((id) => !named.has(id)) : [];
    try {
      const answers = await batchGet(transport, 'v1.0', [
        ...ids.map((id) => ({ id, url: REQUESTS.groupMembers(id) })),
        ...nameless.map((id) => ({ id: `${id}#name`, url: REQUESTS.groupName(id) })),
      ]);
      // Names are for messages only: a group that cannot be read by id keeps its id in the report.
      const names = nameless
        .map((id) => answers.get(`${id}#name`))
        .filter((answer) => answer?.status === 200)
        .map((answer) => withoutContext(answer!.body as Item));
      if (names.length > 0 && Array.isArray(graph[AGENT_GROUPS_KEY])) {
        graph[AGENT_GROUPS_KEY] = [...(graph[AGENT_GROUPS_KEY] as Item[]), ...names];
      }
      await Promise.all(
        ids.map(async (id) => {
          const key = groupMembersKey(id);
          const answer = answers.get(id);
          if (!answer) return;
          // A role principal that is no user and turns out not to be a group either (a service principal).
          if (optional.has(id) && (answer.status === 404 || answer.status === 400)) return;
          if (answer.status !== 200) {
            fail(key, entryError(`v1.0/groups/${id}/transitiveMembers`, answer.status, answer.body));
            return;
          }
          await collect(key, async () => {
            const items = valueOf(answer.body as Item, key);
            const link = (answer.body as Item)['@odata.nextLink'];
            if (typeof link === 'string' && link !== '') items.push(...(await getAll(link)));
            return items;
          });
        }),
      );
    } catch (error) {
      for (const id of ids) fail(groupMembersKey(id), error);
    }
  };

  // Phase 2: members of the groups that decide verdicts, as soon as CA policies, roles and agent groups are known
  // (while users and registration details are still paging).
  const referencedMembers = (async () => {
    await Promise.all([policies, roles, eligibility, agentGroups]);
    if (fatal) return;
    const { groups } = referencedGroups(graph);
    if (groups.size > 0) {
      say(`Collecting members of ${groups.size} groups that policies, roles or agent groups reference…`);
      await collectGroupMembers([...groups], new Set());
    }
  })();
  // Groups that only the beta policies name (a policy changed between the two reads): once those are in.
  const betaMembers = (async () => {
    await Promise.all([referencedMembers, betaPolicies]);
    if (fatal) return;
    await collectGroupMembers([...referencedGroups(graph).groups], new Set());
  })();
  // Role principals Graph did not expand: those that are not users may be groups (a 404 says they are not).
  const maybeMembers = (async () => {
    await Promise.all([referencedMembers, betaMembers, users]);
    if (fatal) return;
    const { groups, maybeGroups } = referencedGroups(graph);
    const maybe = maybeGroups.filter((id) => !groups.has(id));
    if (maybe.length > 0) await collectGroupMembers(maybe, new Set(maybe));
  })();

  // Phase 3: the choice of users whose per-user MFA state is needed. Once everything it reads is in, each page of
  // users is looked at as it arrives; when a choice per page would not be exact, once at the end, on everything.
  const choice = (async () => {
    await Promise.all([policies, betaPolicies, servicePrincipals, roles, eligibility, agentGroups, others, referencedMembers, betaMembers]);
    if (fatal) return;
    // Named locations come a second after the policies (the CA limiter), and only location conditions read them.
    const locations = referencesNamedLocations(graph[GRAPH_KEYS.conditionalAccessPolicies]);
    if (locations) await conditionalAccess;
    if (fatal) return;
    if (choosesByPage(graph)) {
      say('Collecting per-user MFA state of the users no other mechanism decides, page by page as users arrive…');
      const seen = { ...graph };
      if (!locations) delete seen[GRAPH_KEYS.namedLocations];
      byPage = { format: SNAPSHOT_FORMAT, tenantId: options.tenantId, collectedAt: options.collectedAt, graph: seen };
      choosePages();
      await users;
      choosePages();
      while (choosing) await choosing;
    } else {
      await Promise.all([users, registration, maybeMembers]);
      if (fatal) return;
      say('Collecting per-user MFA state of the users no other mechanism decides…');
      await choose({ format: SNAPSHOT_FORMAT, tenantId: options.tenantId, collectedAt: options.collectedAt, graph });
    }
  })();

  await Promise.all([
    users,
    conditionalAccess,
    servicePrincipals,
    roles,
    eligibility,
    agentGroups,
    registration,
    others,
    referencedMembers,
    betaMembers,
    maybeMembers,
    choice,
  ]);
  perUser.close();
  stopIfFatal();
  let answers = new Map<string, BatchResponse>();
  try {
    answers = await perUser.done;
  } catch (error) {
    fail(PER_USER_MFA_ALL_KEY, error);
  }
  stopIfFatal();

  // Per-user states last and in the order of the user list, as the choice named them.
  const needing = chosen.flat();
  if (needing.length > 0) {
    say(`  per-user MFA state: ${needing.length.toLocaleString('en-US')} users asked for (${Math.ceil(needing.length / 20)} batches)`);
  }
  for (const id of needing) {
    const answer = answers.get(id);
    if (answer?.status === 200) graph[perUserMfaKey(id)] = withoutContext(answer.body as Item);
    else if (answer && answer.status !== 403) {
      errors[perUserMfaKey(id)] = entryError(`beta/users/${id}/authentication/requirements`, answer.status, answer.body).message;
    }
  }
  if (forbidden !== undefined) errors[PER_USER_MFA_ALL_KEY] = forbidden;

  const snapshot: Snapshot = {
    format: SNAPSHOT_FORMAT,
    tenantId: options.tenantId,
    collectedAt: options.collectedAt,
    graph,
  };
  if (Object.keys(errors).length > 0) snapshot.collectionErrors = errors;
  return snapshot;
}

/**
 * Whether choosing users page by page gives exactly the choice on the whole user list. Not when the principal of a
 * role assignment (or of a role eligibility) was not expanded: only the whole list tells whether it is a user (on
 * another page) or possibly a group whose members are collected after the users, and a page without it would see
 * the role as "maybe" held by anyone.
 */
export function choosesByPage(graph: Record<string, unknown>): boolean {
  const expanded = (list: unknown): boolean =>
    !Array.isArray(list) ||
    (list as Item[]).every(
      (a) => typeof a?.principalId !== 'string' || typeof (a.principal as Item | undefined)?.['@odata.type'] === 'string',
    );
  return expanded(graph[GRAPH_KEYS.roleAssignments]) && expanded(graph[GRAPH_KEYS.roleEligibility]);
}

/** Keywords Conditional Access uses in place of app ids (All, None, Office365, MicrosoftAdminPortals, …) are skipped. */
const NOT_AN_APP_ID = (value: unknown): boolean => typeof value !== 'string' || !GUID.test(value.trim());

/**
 * The app ids (GUIDs) that Conditional Access policies include or exclude, in the order the policies name them, each
 * once (lower case; app ids are compared without regard to case).
 */
export function appIdsNamedBy(...policyLists: unknown[]): string[] {
  const ids = new Set<string>();
  for (const policies of policyLists) {
    if (!Array.isArray(policies)) continue;
    for (const policy of policies as Array<Item | null>) {
      const applications = (policy?.conditions as Item | null | undefined)?.applications as Item | null | undefined;
      for (const list of [applications?.includeApplications, applications?.excludeApplications]) {
        if (!Array.isArray(list)) continue;
        for (const value of list) if (!NOT_AN_APP_ID(value)) ids.add((value as string).trim().toLowerCase());
      }
    }
  }
  return [...ids];
}

/**
 * Whether a Conditional Access policy has a location condition (or might: any shape other than none). Without one,
 * named locations cannot change which sign-ins a policy covers, so the choice of users need not wait for them.
 */
export function referencesNamedLocations(policies: unknown): boolean {
  if (!Array.isArray(policies)) return false;
  const listed = (value: unknown): boolean => value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
  return policies.some((policy) => {
    const locations = ((policy as Item | null)?.conditions as Item | null | undefined)?.locations;
    if (locations === undefined || locations === null) return false;
    if (typeof locations !== 'object' || Array.isArray(locations)) return true;
    return Object.entries(locations as Item).some(([name, value]) => !name.startsWith('@odata.') && listed(value));
  });
}

/**
 * The snapshot the choice of users sees for one page: everything else collected so far (registration details,
 * which only add warnings, and per-user states left out), with `v1.0/users` holding only that page.
 */
export function choiceSnapshot(collected: Snapshot, page: Item[]): Snapshot {
  const graph: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(collected.graph)) {
    if (key === GRAPH_KEYS.registrationDetails || key.startsWith('beta/users/')) continue;
    graph[key] = value;
  }
  graph[GRAPH_KEYS.users] = page;
  return { format: collected.format, tenantId: collected.tenantId, collectedAt: collected.collectedAt, graph };
}

/**
 * Groups whose members decide verdicts: CA include/exclude groups (v1.0 and beta policies), agent groups, principals
 * of role assignments and role eligibilities that are groups.
 */
export function referencedGroups(graph: Record<string, unknown>): { groups: Set<string>; maybeGroups: string[] } {
  const groups = new Set<string>();
  const add = (value: unknown): void => {
    if (Array.isArray(value)) for (const id of value) if (typeof id === 'string' && id !== '') groups.add(id);
  };
  for (const key of [GRAPH_KEYS.conditionalAccessPolicies, GRAPH_KEYS.conditionalAccessPoliciesBeta]) {
    const policies = graph[key];
    if (!Array.isArray(policies)) continue;
    for (const policy of policies as Item[]) {
      const users = (policy?.conditions as Item | undefined)?.users as Item | undefined;
      add(users?.includeGroups);
      add(users?.excludeGroups);
    }
  }
  const agentGroups = graph[AGENT_GROUPS_KEY];
  if (Array.isArray(agentGroups)) add((agentGroups as Item[]).map((g) => g?.id));
  const userIds = new Set(
    Array.isArray(graph[GRAPH_KEYS.users]) ? (graph[GRAPH_KEYS.users] as Item[]).map((u) => u?.id) : [],
  );
  const maybeGroups: string[] = [];
  for (const key of [GRAPH_KEYS.roleAssignments, GRAPH_KEYS.roleEligibility]) {
    const assignments = graph[key];
    if (!Array.isArray(assignments)) continue;
    for (const assignment of assignments as Item[]) {
      const principalId = assignment?.principalId;
      if (typeof principalId !== 'string') continue;
      const type = (assignment.principal as Item | undefined)?.['@odata.type'];
      if (typeof type === 'string') {
        if (/group$/i.test(type)) groups.add(principalId);
      } else if (!userIds.has(principalId)) {
        // No expanded principal: it is a group or a service principal; a 404 will tell.
        maybeGroups.push(principalId);
      }
    }
  }
  return { groups, maybeGroups: [...new Set(maybeGroups)] };
}

function valueOf(body: Item, path: string): Item[] {
  const value = body?.value;
  if (!Array.isArray(value)) {
    throw new GraphRequestError(0, undefined, `${shortPath(path)}: the answer has no 'value' array`);
  }
  return value as Item[];
}

/** A single resource as Graph describes it, without the response's @odata.context. */
function withoutContext(body: Item): Item {
  const { ['@odata.context']: _context, ...rest } = body ?? {};
  return rest;
}

function entryError(path: string, status: number, body: unknown): GraphRequestError {
  const code = errorCode(body);
  const message = errorMessage(body);
  const what = status === 0 ? 'no answer' : `HTTP ${status}${code ? ` ${code}` : ''}`;
  return new GraphRequestError(status, code, `${path}: ${what}${message ? `: ${message}` : ''}`);
}
