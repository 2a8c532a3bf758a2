/**
 * Collects a snapshot (the format of src/core/snapshot.ts) through a GraphTransport: every key the engine reads, with
 * $select of the fields it needs, the largest page sizes, independent resources in parallel, group members, per-user
 * MFA state and the service principals of apps that policies name through $batch, and only for the groups, users and
 * apps that decide verdicts.
 *
 * Pipelined: the small resources come while users page; once what the engine's choice of users reads is in, each
 * group of user pages that arrives is handed to the choice and its per-user MFA requests go out at once, overlapping
 * the rest of the paging (exact: test/graph/choice.test.ts; see choosesByPage for when it chooses once at the end).
 *
 * What fails and what that means for the run: see collection-run.ts.
 */
import type { Snapshot } from '../core/snapshot.js';
import type { GraphTransport } from './client.js';
import type { CollectOptions } from './collection-run.js';
import { CollectionRun } from './collection-run.js';
import { choosePerUserMfaUsers, collectServicePrincipals, finish, startFirstWave } from './collection-steps.js';
import { GroupMembers, membersOfBetaGroups, membersOfMaybeGroups, membersOfReferencedGroups } from './group-members.js';
import { PerUserMfaStates } from './per-user-mfa.js';

export async function collectSnapshot(transport: GraphTransport, options: CollectOptions): Promise<Snapshot> {
  const run = new CollectionRun(transport, options);
  const perUser = new PerUserMfaStates(run);

  // First wave: everything that does not depend on anything else, in parallel.
  const wave = startFirstWave(run, perUser);
  // Second wave: what the policies name, as soon as they are in.
  const servicePrincipals = collectServicePrincipals(run, wave.policies, wave.betaPolicies);

  // Members of the groups that decide verdicts: those policies, roles and agent groups name, then those only the
  // beta policies name, then role principals that may be groups (once the user list says they are not users).
  const members = new GroupMembers(run);
  const referencedMembers = membersOfReferencedGroups(run, members, [
    wave.policies,
    wave.roles,
    wave.eligibility,
    wave.agentGroups,
  ]);
  const betaMembers = membersOfBetaGroups(run, members, [referencedMembers, wave.betaPolicies]);
  const maybeMembers = membersOfMaybeGroups(run, members, [referencedMembers, betaMembers, wave.users]);

  const { onUsersAndDomains } = options;
  if (onUsersAndDomains) {
    void Promise.all([wave.users, wave.others]).then(
      () => run.fatal === undefined && onUsersAndDomains(run.snapshot({ ...run.graph })),
      () => undefined,
    );
  }

  // The choice of users whose per-user MFA state is needed, once everything it reads is in.
  const choice = choosePerUserMfaUsers(run, perUser, wave, {
    servicePrincipals,
    referencedMembers,
    betaMembers,
    maybeMembers,
  });

  await Promise.all([
    wave.users,
    wave.namedLocations,
    servicePrincipals,
    wave.roles,
    wave.eligibility,
    wave.agentGroups,
    wave.registration,
    wave.others,
    referencedMembers,
    betaMembers,
    maybeMembers,
    choice,
  ]);
  return finish(run, perUser);
}
