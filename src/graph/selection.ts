/**
 * What the collected resources say about what else to collect: which groups decide verdicts, which apps policies
 * name, whether named locations matter, and how the choice of users may look at the user list page by page.
 */
import type { Snapshot } from '../core/snapshot.js';
import { GRAPH_KEYS } from '../core/snapshot.js';
import { GUID } from './access-token.js';
import { AGENT_GROUPS_KEY } from './requests.js';

type Item = Record<string, unknown>;

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
      (a) =>
        typeof a?.principalId !== 'string' || typeof (a.principal as Item | undefined)?.['@odata.type'] === 'string',
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
  const listed = (value: unknown): boolean =>
    value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
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
