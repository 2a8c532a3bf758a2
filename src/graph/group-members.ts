/** Members (and, for messages, names) of the groups that decide verdicts, through $batch. */
import { groupMembersKey } from '../core/snapshot.js';
import { batchGet } from './batch.js';
import type { CollectionRun, Item } from './collection-run.js';
import { entryError, valueOf, withoutContext } from './collection-run.js';
import { AGENT_GROUPS_KEY, REQUESTS } from './requests.js';
import { referencedGroups } from './selection.js';

export class GroupMembers {
  /** Groups whose members were asked for (each once, whichever step names it first). */
  private readonly requested = new Set<string>();

  constructor(private readonly run: CollectionRun) {}

  /**
   * Collects the members of the groups not asked for yet; names come with `v1.0/groups`. Ids in `optional` may turn
   * out not to be groups (a 404 or 400 then records nothing).
   */
  async collect(ids: string[], optional: Set<string>): Promise<void> {
    const { run } = this;
    ids = ids.filter((id) => !this.requested.has(id));
    if (ids.length === 0) return;
    for (const id of ids) this.requested.add(id);
    const listed = run.graph[AGENT_GROUPS_KEY];
    const named = new Set(Array.isArray(listed) ? (listed as Item[]).map((g) => g?.id) : []);
    const nameless = Array.isArray(listed) ? ids.filter((id) => !named.has(id)) : [];
    try {
      const answers = await batchGet(run.transport, 'v1.0', [
        ...ids.map((id) => ({ id, url: REQUESTS.groupMembers(id) })),
        ...nameless.map((id) => ({ id: `${id}#name`, url: REQUESTS.groupName(id) })),
      ]);
      // Names are for messages only: a group that cannot be read by id keeps its id in the report.
      const names = nameless
        .map((id) => answers.get(`${id}#name`))
        .filter((answer) => answer?.status === 200)
        .map((answer) => withoutContext(answer!.body as Item));
      if (names.length > 0 && Array.isArray(run.graph[AGENT_GROUPS_KEY])) {
        run.graph[AGENT_GROUPS_KEY] = [...(run.graph[AGENT_GROUPS_KEY] as Item[]), ...names];
      }
      await Promise.all(
        ids.map(async (id) => {
          const key = groupMembersKey(id);
          const answer = answers.get(id);
          if (!answer) return;
          // A role principal that is no user and turns out not to be a group either (a service principal).
          if (optional.has(id) && (answer.status === 404 || answer.status === 400)) return;
          if (answer.status !== 200) {
            run.fail(key, entryError(`v1.0/groups/${id}/transitiveMembers`, answer.status, answer.body));
            return;
          }
          await run.collect(key, async () => {
            const items = valueOf(answer.body as Item, key);
            const link = (answer.body as Item)['@odata.nextLink'];
            if (typeof link === 'string' && link !== '') items.push(...(await run.getAll(link)));
            return items;
          });
        }),
      );
    } catch (error) {
      for (const id of ids) run.fail(groupMembersKey(id), error);
    }
  }
}

/**
 * Members of the groups that decide verdicts, as soon as CA policies, roles and agent groups are known (while users
 * and registration details are still paging).
 */
export async function membersOfReferencedGroups(
  run: CollectionRun,
  members: GroupMembers,
  known: Promise<unknown>[],
): Promise<void> {
  await Promise.all(known);
  if (run.fatal) return;
  const { groups } = referencedGroups(run.graph);
  if (groups.size > 0) {
    run.say(`Collecting members of ${groups.size} groups that policies, roles or agent groups reference…`);
    await members.collect([...groups], new Set());
  }
}

/** Groups that only the beta policies name (a policy changed between the two reads): once those are in. */
export async function membersOfBetaGroups(
  run: CollectionRun,
  members: GroupMembers,
  known: Promise<unknown>[],
): Promise<void> {
  await Promise.all(known);
  if (run.fatal) return;
  await members.collect([...referencedGroups(run.graph).groups], new Set());
}

/** Role principals Graph did not expand: those that are not users may be groups (a 404 says they are not). */
export async function membersOfMaybeGroups(
  run: CollectionRun,
  members: GroupMembers,
  known: Promise<unknown>[],
): Promise<void> {
  await Promise.all(known);
  if (run.fatal) return;
  const { groups, maybeGroups } = referencedGroups(run.graph);
  const maybe = maybeGroups.filter((id) => !groups.has(id));
  if (maybe.length > 0) await members.collect(maybe, new Set(maybe));
}
