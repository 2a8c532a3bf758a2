/**
 * Per-user MFA state (one request per user), only for users no other mechanism decides: chosen page by page as users
 * arrive and sent through $batch at once, so it overlaps the paging of users (exact: test/graph/choice.test.ts; see
 * choosesByPage for when it chooses once at the end).
 */
import type { Snapshot } from '../core/snapshot.js';
import { perUserMfaKey } from '../core/snapshot.js';
import type { BatchResponse } from './client.js';
import { batchStream, errorCode } from './batch.js';
import type { CollectionRun, Item } from './collection-run.js';
import { entryError, withoutContext } from './collection-run.js';
import { forbiddenReason } from './permissions.js';
import { PER_USER_MFA_ALL_KEY, REQUESTS } from './requests.js';
import { choiceSnapshot } from './selection.js';

/** At most this many pages of users per call of the engine's choice (a call blocks the event loop). */
const MAX_PAGES_PER_CHOICE = 20;

export class PerUserMfaStates {
  /** Why no one's state can be read (the first 403), once known. */
  private forbidden: string | undefined;
  private answered = 0;
  private readonly stream: ReturnType<typeof batchStream>;
  /** The chosen users, per choice, in the order of the user list. */
  private readonly chosen: string[][] = [];
  private readonly asked = new Set<string>();
  private readonly userPages: Item[][] = [];
  private pagesChosen = 0;
  /** Set once the user list is complete (or failed). */
  usersDone = false;
  /** What the choice sees besides a group of pages, once everything it reads is in. */
  private byPage: Snapshot | undefined;
  private choosing: Promise<void> | undefined;
  // Pages are chosen in groups: each call of the engine first rebuilds its view of policies and groups, which costs
  // about as much as looking at a page of users. A group is chosen once the $batch requests queued so far run low
  // (so every slot stays busy), when many pages wait, or when the user list is complete.
  private readonly lowWater: number;

  constructor(private readonly run: CollectionRun) {
    this.stream = batchStream(run.transport, 'beta', {
      stopped: () => this.forbidden !== undefined,
      abandoned: () => run.fatal !== undefined,
      onResponse: (answer) => {
        if (answer.status === 403) this.forbidden ??= forbiddenReason(PER_USER_MFA_ALL_KEY, errorCode(answer.body));
        if (++this.answered % 5000 === 0)
          run.say(`  per-user MFA state: ${this.answered.toLocaleString('en-US')} users so far`);
        this.choosePages();
      },
    });
    this.lowWater = 4 * 20 * run.transport.pacer.settings.concurrency;
  }

  /** A page of users arrived. */
  addUserPage(page: Item[]): void {
    this.userPages.push(page);
    this.choosePages();
  }

  /** Chooses, for each group of pages from now on, with `seen` as everything else the choice reads. */
  async chooseByPage(seen: Snapshot, users: Promise<void>): Promise<void> {
    this.byPage = seen;
    this.choosePages();
    await users;
    this.choosePages();
    while (this.choosing) await this.choosing;
  }

  /** Asks the engine's choice about `snapshot`; with `page`, only for that page's users. */
  async choose(snapshot: Snapshot, page?: Set<string>): Promise<void> {
    try {
      // Each user once (a $batch refuses repeated ids), and on a page only that page's users.
      const ids: string[] = [];
      for (const id of await this.run.options.perUserMfaUsers(snapshot)) {
        if ((page && !page.has(id)) || this.asked.has(id)) continue;
        this.asked.add(id);
        ids.push(id);
      }
      this.chosen.push(ids);
      this.stream.add(ids.map((id) => ({ id, url: REQUESTS.perUserMfa(id) })));
    } catch (error) {
      this.run.end(error);
    }
  }

  /** No more choices: the last requests go out. */
  close(): void {
    this.stream.close();
  }

  /** The answers, once all are in; a failure of the whole stream (a 401) is recorded as the run's. */
  async answers(): Promise<Map<string, BatchResponse>> {
    try {
      return await this.stream.done;
    } catch (error) {
      this.run.fail(PER_USER_MFA_ALL_KEY, error);
      return new Map<string, BatchResponse>();
    }
  }

  /** Records the states in the order of the user list, as the choice named them, and why any are missing. */
  record(answers: Map<string, BatchResponse>): void {
    const { graph, errors, say } = this.run;
    const needing = this.chosen.flat();
    if (needing.length > 0) {
      say(
        `  per-user MFA state: ${needing.length.toLocaleString('en-US')} users asked for (${Math.ceil(needing.length / 20)} batches)`,
      );
    }
    for (const id of needing) {
      const answer = answers.get(id);
      if (answer?.status === 200) graph[perUserMfaKey(id)] = withoutContext(answer.body as Item);
      else if (answer && answer.status !== 403) {
        errors[perUserMfaKey(id)] = entryError(
          `beta/users/${id}/authentication/requirements`,
          answer.status,
          answer.body,
        ).message;
      }
    }
    if (this.forbidden !== undefined) errors[PER_USER_MFA_ALL_KEY] = this.forbidden;
  }

  private due(): boolean {
    const waiting = this.userPages.length - this.pagesChosen;
    return waiting > 0 && (this.usersDone || waiting >= MAX_PAGES_PER_CHOICE || this.stream.queued < this.lowWater);
  }

  /** Chooses users of the pages that wait, a group at a time, letting answers in between. */
  private choosePages(): void {
    const run = this.run;
    if (this.choosing || !this.byPage || run.fatal || this.forbidden !== undefined || !this.due()) return;
    this.choosing = (async () => {
      while (!run.fatal && this.forbidden === undefined && this.due()) {
        const end = Math.min(this.userPages.length, this.pagesChosen + MAX_PAGES_PER_CHOICE);
        const group: Item[] = [];
        for (; this.pagesChosen < end; this.pagesChosen++) {
          for (const user of this.userPages[this.pagesChosen]!) group.push(user);
          this.userPages[this.pagesChosen] = [];
        }
        await this.choose(choiceSnapshot(this.byPage!, group), new Set(group.map((u) => u?.id as string)));
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    })().finally(() => {
      this.choosing = undefined;
      this.choosePages();
    });
  }
}
