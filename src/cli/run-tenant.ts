/**
 * `mfa-audit tenant`: one path for every source of data. Live collection, a saved snapshot and the demo tenant all
 * end as a Snapshot, which the engine audits and the reporters render; so a live report and the offline report of
 * the snapshot it saved are produced by exactly the same code.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { Snapshot } from '../core/snapshot.js';
import type { TenantReport } from '../core/tenant/types.js';
import type { WhatIfOptions } from '../core/tenant/what-if-plan.js';
import { UsageError } from '../errors.js';
import { WHAT_IF_PLAN_KEY } from '../input/snapshot.js';
import type { LiveCollectionRequest } from '../graph/live.js';
import type { AccountDesignations } from '../input/service-accounts.js';
import type { Io } from '../io.js';
import { parseNow, progress } from '../io.js';
import { designationWarnings, printWarnings } from './designation-warnings.js';
import { finishTenantGate, prepareGate } from './gate.js';
import type { Gate } from './gate.js';
import { refuseTokenAsFlagValue } from './secret-guard.js';
import { graphSignInRequest, refuseSignInOffline } from './sign-in.js';
import type { TenantCommandOptions } from './tenant.js';

/** The bundled demo tenant, found next to the installed package (dist/cli/ → ../../fixtures/). */
export const DEMO_TENANT_URL = new URL('../../fixtures/demo-tenant.json', import.meta.url);

type Source = NonNullable<TenantReport['source']>;

/** Where the tenant's data comes from. */
type TenantData =
  | { kind: 'graph'; live: LiveCollectionRequest; saveSnapshot?: string }
  | { kind: 'snapshot'; path: string }
  | { kind: 'demo' };

/** `mfa-audit tenant`, resolved from its flags (the config file applied). */
interface TenantRequest {
  data: TenantData;
  /** --confirm-budget (undefined: the snapshot's own budget offline, the default live). */
  whatIf: WhatIfOptions | undefined;
  now: Date;
  designations: AccountDesignations;
  /** --service-accounts as given (a file or a pattern), for the warning when it matches nothing. */
  serviceAccountsValue: string | undefined;
  quiet: boolean;
}

/**
 * `command` (commander's, optional) lets the config file tell flags given on the command line from defaults.
 * Exit code: 0 pass, 1 fail, 3 incomplete (src/core/gate.ts, after --baseline and --fail-on); errors are thrown.
 */
export async function runTenant(
  given: TenantCommandOptions,
  io: Io,
  command?: Pick<Command, 'getOptionValueSource'>,
): Promise<number> {
  // A token pasted as a flag's value is refused first: any later error message would repeat it.
  refuseTokenAsFlagValue(given, 'tenant');
  const kind = chooseSource(given);
  if (kind !== 'graph') refuseSignInOffline('tenant', given, kind === 'demo' ? '--demo' : '--snapshot', command);
  // Everything the user can get wrong (config, formats, outputs, baseline, --now, account lists, --tenant-id,
  // --graph-url) is checked before any data is read or collected.
  const { options, gate } = await prepareGate(io, 'tenant', given, command);
  return auditTenantData(await tenantRequest(kind, options, io), gate, io);
}

async function tenantRequest(kind: Source['kind'], options: TenantCommandOptions, io: Io): Promise<TenantRequest> {
  refuseTokenAsFlagValue(options, 'tenant'); // the config file's values too
  const now = parseNow(options.now, io);
  const { parseAccountDesignations } = await import('../input/service-accounts.js');
  const designations = await parseAccountDesignations(options, io.cwd);
  const quiet = options.quiet === true;
  const evidence = evidenceFlags(options, kind);
  let data: TenantData;
  if (kind === 'graph') {
    // Loaded for live runs only: the offline paths never import the Graph client.
    const { DEFAULT_GRAPH_URL, parseGraphEndpoint, parseTenantId } = await import('../graph/live.js');
    const live: LiveCollectionRequest = {
      tenantId: parseTenantId(options.tenantId ?? ''),
      graph: parseGraphEndpoint(options.graphUrl ?? DEFAULT_GRAPH_URL),
      now,
      quiet,
      designations,
      signIn: graphSignInRequest(options),
      evidence: {
        confirm: options.confirm,
        signInDays: evidence.signInDays,
        whatIf: { spotChecks: evidence.budget ?? DEFAULT_CONFIRM_BUDGET },
      },
    };
    data = { kind, live, saveSnapshot: options.saveSnapshot };
  } else {
    data = kind === 'demo' ? { kind } : { kind, path: options.snapshot as string };
  }
  const whatIf = evidence.budget !== undefined ? { spotChecks: evidence.budget } : undefined;
  return { data, now, designations, serviceAccountsValue: options.serviceAccounts, quiet, whatIf };
}

/** What If spot-checks per run when --confirm-budget is not given. */
const DEFAULT_CONFIRM_BUDGET = 20;
/** Graph keeps sign-ins for 30 days (Entra ID P1/P2). */
const MAX_SIGN_IN_DAYS = 30;

function wholeNumber(value: string, flag: string, max?: number): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || (max !== undefined && n > max)) {
    throw new UsageError(
      `${flag} '${value}' must be a whole number${max !== undefined ? ` from 0 to ${max}` : ' (0 or more)'}`,
    );
  }
  return n;
}

/** --confirm, --confirm-budget, --sign-ins: checked; the collecting ones only for live runs. */
function evidenceFlags(
  options: TenantCommandOptions,
  kind: Source['kind'],
): { budget: number | undefined; signInDays: number | undefined } {
  const budget =
    options.confirmBudget === undefined ? undefined : wholeNumber(options.confirmBudget, '--confirm-budget');
  let signInDays: number | undefined;
  if (options.signIns !== undefined) {
    signInDays = wholeNumber(options.signIns, '--sign-ins', MAX_SIGN_IN_DAYS);
  }
  if (kind !== 'graph' && (options.confirm === true || options.signIns !== undefined)) {
    throw new UsageError(
      `tenant: ${options.confirm === true ? '--confirm' : '--sign-ins'} collects evidence live (--tenant-id); ` +
        '--snapshot and --demo use what the snapshot holds',
    );
  }
  return { budget, signInDays };
}

async function auditTenantData(request: TenantRequest, gate: Gate<'tenant'>, io: Io): Promise<number> {
  const say = progress(io, request.quiet);
  const { snapshot, source } = await loadSnapshot(request.data, io, say);

  say(`Auditing ${countUsers(snapshot)} user objects…`);
  const { auditTenant } = await import('../core/tenant/audit.js');
  const report = auditTenant(snapshot, {
    now: request.now,
    ...request.designations,
    source,
    whatIf: whatIfOptions(request, snapshot),
  });
  report.source ??= source;
  const upns = report.accounts.map((account) => account.userPrincipalName);
  printWarnings(io, designationWarnings(request.designations, request.serviceAccountsValue, upns));

  const code = await finishTenantGate(io, gate, report, request.now);
  const s = report.summary;
  say(`${s.accounts} accounts: ${s.pass} pass, ${s.fail} fail, ${s.exempt} exempt, ${s.unknown} unknown`);
  return code;
}

/** Exactly one of --tenant-id, --snapshot, --demo. */
function chooseSource(options: TenantCommandOptions): Source['kind'] {
  const given = [
    options.tenantId !== undefined && '--tenant-id',
    options.snapshot !== undefined && '--snapshot',
    options.demo === true && '--demo',
  ].filter((flag): flag is string => flag !== false);
  if (given.length === 0) {
    throw new UsageError(
      'tenant: say what to audit: --tenant-id ID (live), --snapshot FILE (offline) or --demo (the bundled demo tenant)',
    );
  }
  if (given.length > 1) {
    throw new UsageError(`tenant: ${given.join(' and ')} cannot be used together; give exactly one data source`);
  }
  if (options.saveSnapshot !== undefined && options.tenantId === undefined) {
    throw new UsageError('tenant: --save-snapshot saves what live collection gathered; use it with --tenant-id');
  }
  if (options.tenantId !== undefined && options.tenantId.trim() === '') {
    throw new UsageError('tenant: --tenant-id needs a tenant id or domain (e.g. contoso.onmicrosoft.com)');
  }
  if (options.snapshot !== undefined && options.snapshot.trim() === '') {
    throw new UsageError('tenant: --snapshot needs a file name');
  }
  return options.tenantId !== undefined ? 'graph' : options.demo === true ? 'demo' : 'snapshot';
}

async function loadSnapshot(
  data: TenantData,
  io: Io,
  say: (line: string) => void,
): Promise<{ snapshot: Snapshot; source: Source }> {
  if (data.kind === 'graph') {
    say(`Collecting tenant ${data.live.tenantId} from Microsoft Graph…`);
    const { collectLive } = await import('../graph/live.js');
    const snapshot = await collectLive(data.live, io);
    if (data.saveSnapshot !== undefined) {
      await saveSnapshot(snapshot, data.saveSnapshot, io);
      say(`Snapshot saved to ${data.saveSnapshot}`);
    }
    return { snapshot, source: { kind: 'graph', collectedAt: snapshot.collectedAt } };
  }
  if (data.kind === 'demo') {
    say('Reading the bundled demo tenant…');
    const { readSnapshot } = await import('../input/snapshot.js');
    const snapshot = await readSnapshot(fileURLToPath(DEMO_TENANT_URL));
    return { snapshot, source: { kind: 'demo', collectedAt: snapshot.collectedAt, path: 'fixtures/demo-tenant.json' } };
  }
  say(`Reading snapshot ${data.path}…`);
  const { readSnapshot } = await import('../input/snapshot.js');
  const snapshot = await readSnapshot(resolve(io.cwd, data.path));
  return { snapshot, source: { kind: 'snapshot', collectedAt: snapshot.collectedAt, path: data.path } };
}
/** `--save-snapshot FILE`: exactly what was collected (the snapshot holds Graph data only, never a token). */
async function saveSnapshot(snapshot: Snapshot, file: string, io: Io): Promise<void> {
  // The one writer of every output: atomic for a file, through for a device or FIFO, links followed.
  const { writeReport } = await import('./output.js');
  await writeReport(io, JSON.stringify(snapshot, null, 2) + '\n', file, '--save-snapshot');
}

/**
 * The What If budgets of the audit: --confirm-budget when given, else those the snapshot was collected with (so an
 * offline audit plans the requests the live run made), else the live default.
 */
function whatIfOptions(request: TenantRequest, snapshot: Snapshot): WhatIfOptions {
  if (request.whatIf) return request.whatIf;
  const saved = snapshot.graph[WHAT_IF_PLAN_KEY];
  if (typeof saved === 'object' && saved !== null) return saved;
  return { spotChecks: DEFAULT_CONFIRM_BUDGET };
}

function countUsers(snapshot: Snapshot): number {
  const users = snapshot.graph['v1.0/users'];
  return Array.isArray(users) ? users.length : 0;
}
