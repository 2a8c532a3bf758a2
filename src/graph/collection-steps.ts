/**
 * The steps of a collection, each over the run's state. A step starts its requests when called and returns the
 * promise of its completion; steps that depend on others take those promises and wait for them.
 */
import type { Snapshot } from '../core/snapshot.js';
import { federationConfigurationKey, GRAPH_KEYS } from '../core/snapshot.js';
import { CollectionError } from '../errors.js';
import { batchGet } from './batch.js';
import { GraphConnectError, GraphRequestError } from './client.js';
import type { CollectionRun, Item } from './collection-run.js';
import { entryError, valueOf } from './collection-run.js';
import type { PerUserMfaStates } from './per-user-mfa.js';
import { PERMISSION_NEEDS } from './permissions.js';
import { AGENT_GROUPS_KEY, REQUESTS } from './requests.js';
import { appIdsNamedBy, choosesByPage, referencesNamedLocations } from './selection.js';

/** The collections of the first wave: everything that does not depend on anything else, started at once. */
interface FirstWave {
  users: Promise<void>;
  policies: Promise<void>;
  betaPolicies: Promise<void>;
  namedLocations: Promise<void>;
  roles: Promise<void>;
  eligibility: Promise<void>;
  agentGroups: Promise<void>;
  registration: Promise<void>;
  others: Promise<unknown>;
}

/** Starts the first wave, in parallel. */
export function startFirstWave(run: CollectionRun, perUser: PerUserMfaStates): FirstWave {
  run.say('Collecting users, policies, roles, registration details and domains…');
  const users = collectUsers(run, perUser);
  const { policies, betaPolicies, namedLocations } = collectConditionalAccess(run);
  const roles = run.collection(GRAPH_KEYS.roleAssignments, REQUESTS.roleAssignments);
  const eligibility = run.collection(GRAPH_KEYS.roleEligibility, REQUESTS.roleEligibility);
  const agentGroups = run.collection(AGENT_GROUPS_KEY, REQUESTS.agentGroups);
  // Registration details only add warnings: the choice of users does not wait for their pages.
  const registration = run.collection(GRAPH_KEYS.registrationDetails, REQUESTS.registrationDetails);
  const others = collectOthers(run);
  return { users, policies, betaPolicies, namedLocations, roles, eligibility, agentGroups, registration, others };
}

/** The user list, each page handed to the choice of users as it arrives; any failure but a 401 ends the run. */
async function collectUsers(run: CollectionRun, perUser: PerUserMfaStates): Promise<void> {
  let lastUsersNote = 0;
  try {
    run.graph[GRAPH_KEYS.users] = await run.getAll(REQUESTS.users, (page, count) => {
      perUser.addUserPage(page);
      if (count - lastUsersNote >= 10_000) {
        lastUsersNote = count;
        run.say(`  users: ${count.toLocaleString('en-US')} so far (${run.transport.stats.requests} requests)`);
      }
    });
  } catch (error) {
    if (error instanceof GraphRequestError && error.status !== 401 && !(error instanceof GraphConnectError)) {
      const reason =
        error.status === 403
          ? `Graph refused v1.0/users (403): the token needs ${PERMISSION_NEEDS.users.grant} (delegated or application)`
          : `cannot read v1.0/users, which every verdict needs: ${error.message}`;
      run.fatal ??= new CollectionError(reason, { cause: error });
    } else run.fail(GRAPH_KEYS.users, error);
  } finally {
    perUser.usersDone = true;
  }
}

/**
 * The three CA lists one after the other: the limiter spaces them anyway. The policies come first because group
 * members wait for them, then the same policies as beta shows them (the choice of users waits for those), then
 * named locations (only location conditions read them).
 */
function collectConditionalAccess(run: CollectionRun): Pick<FirstWave, 'policies' | 'betaPolicies' | 'namedLocations'> {
  const policies = run.collection(GRAPH_KEYS.conditionalAccessPolicies, REQUESTS.conditionalAccessPolicies);
  const betaPolicies = (async () => {
    await policies;
    if (run.fatal) return;
    await run.collection(GRAPH_KEYS.conditionalAccessPoliciesBeta, REQUESTS.conditionalAccessPoliciesBeta);
  })();
  const namedLocations = (async () => {
    await betaPolicies;
    if (run.fatal) return;
    await run.collection(GRAPH_KEYS.namedLocations, REQUESTS.namedLocations);
  })();
  return { policies, betaPolicies, namedLocations };
}

/** Security defaults, authentication strengths, the cross-tenant default, and domains with their federation. */
function collectOthers(run: CollectionRun): Promise<unknown> {
  return Promise.all([
    run.single(GRAPH_KEYS.securityDefaults, REQUESTS.securityDefaults),
    run.collection(GRAPH_KEYS.authenticationStrengthPolicies, REQUESTS.authenticationStrengthPolicies),
    run.single(GRAPH_KEYS.crossTenantDefault, REQUESTS.crossTenantDefault),
    collectDomains(run),
  ]);
}

/** Domains, then the federation configuration of each federated one. */
async function collectDomains(run: CollectionRun): Promise<void> {
  await run.collection(GRAPH_KEYS.domains, REQUESTS.domains);
  const domains = run.graph[GRAPH_KEYS.domains];
  if (!Array.isArray(domains)) return;
  const federated = (domains as Item[]).filter(
    (d) => typeof d.id === 'string' && String(d.authenticationType).toLowerCase() === 'federated',
  );
  await Promise.all(
    federated.map((d) =>
      run.collection(federationConfigurationKey(d.id as string), REQUESTS.federationConfiguration(d.id as string)),
    ),
  );
}

/**
 * Service principals of the app ids that policies name, through $batch: those the v1.0 policies name as soon as
 * they are in, any that only the beta policies name once those are. Not collected when neither list is.
 */
export async function collectServicePrincipals(
  run: CollectionRun,
  policies: Promise<void>,
  betaPolicies: Promise<void>,
): Promise<void> {
  await policies;
  if (run.fatal) return;
  const first = appIdsNamedBy(run.graph[GRAPH_KEYS.conditionalAccessPolicies]);
  let refused = false;
  const lookUp = (appIds: string[]) =>
    batchGet(
      run.transport,
      'v1.0',
      appIds.map((appId) => ({ id: appId, url: REQUESTS.servicePrincipal(appId) })),
      {
        stopped: () => refused,
        abandoned: () => run.fatal !== undefined,
        onResponse: (answer) => {
          if (answer.status === 403) refused = true;
        },
      },
    );
  const firstAnswers = lookUp(first);
  // Awaited below; a 401 may reject it while the beta policies are still coming.
  firstAnswers.catch(() => {});
  await betaPolicies;
  if (run.fatal) return;
  const v1 = run.graph[GRAPH_KEYS.conditionalAccessPolicies];
  const beta = run.graph[GRAPH_KEYS.conditionalAccessPoliciesBeta];
  if (!Array.isArray(v1) && !Array.isArray(beta)) return;
  const all = appIdsNamedBy(v1, beta);
  const asked = new Set(first);
  const more = all.filter((appId) => !asked.has(appId));
  await run.collect(GRAPH_KEYS.servicePrincipals, async () => {
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
}

/** What the choice of users waits for besides the first wave. */
interface ChoiceInputs {
  servicePrincipals: Promise<void>;
  referencedMembers: Promise<void>;
  betaMembers: Promise<void>;
  maybeMembers: Promise<void>;
}

/**
 * The choice of users whose per-user MFA state is needed. Once everything it reads is in, each page of users is
 * looked at as it arrives; when a choice per page would not be exact, once at the end, on everything.
 */
export async function choosePerUserMfaUsers(
  run: CollectionRun,
  perUser: PerUserMfaStates,
  wave: FirstWave,
  inputs: ChoiceInputs,
): Promise<void> {
  const { policies, betaPolicies, roles, eligibility, agentGroups, others } = wave;
  await Promise.all([
    policies,
    betaPolicies,
    inputs.servicePrincipals,
    roles,
    eligibility,
    agentGroups,
    others,
    inputs.referencedMembers,
    inputs.betaMembers,
  ]);
  if (run.fatal) return;
  // Named locations come a second after the policies (the CA limiter), and only location conditions read them.
  const locations = referencesNamedLocations(run.graph[GRAPH_KEYS.conditionalAccessPolicies]);
  if (locations) await wave.namedLocations;
  if (run.fatal) return;
  if (choosesByPage(run.graph)) {
    run.say('Collecting per-user MFA state of the users no other mechanism decides, page by page as users arrive…');
    const seen = { ...run.graph };
    if (!locations) delete seen[GRAPH_KEYS.namedLocations];
    await perUser.chooseByPage(run.snapshot(seen), wave.users);
  } else {
    await Promise.all([wave.users, wave.registration, inputs.maybeMembers]);
    if (run.fatal) return;
    run.say('Collecting per-user MFA state of the users no other mechanism decides…');
    await perUser.choose(run.snapshot());
  }
}

/** The per-user states once every other step is done, then the snapshot; a run that ended throws its error. */
export async function finish(run: CollectionRun, perUser: PerUserMfaStates): Promise<Snapshot> {
  perUser.close();
  run.stopIfFatal();
  const answers = await perUser.answers();
  run.stopIfFatal();
  perUser.record(answers);
  const snapshot = run.snapshot();
  if (Object.keys(run.errors).length > 0) snapshot.collectionErrors = run.errors;
  return snapshot;
}
