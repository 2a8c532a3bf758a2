/**
 * `mfa-audit plan`: a proposed change to the Conditional Access objects (`--policies PATH…`, `--remove ID`) judged
 * against a baseline tenant (`--snapshot`, `--demo`, or live), before it ships. Reports the proposed state and the
 * change; exits 1 when the change opens a gap or turns an account from pass (core/plan/gate.ts).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { Snapshot } from '../core/snapshot.js';
import { InputError, UsageError } from '../errors.js';
import type { ExitSink, Io } from '../io.js';
import { parseNow, progress } from '../io.js';
import { FORMATS } from '../report/registry.js';
import { addCiOptions, addGraphSignInOptions, addOutputOptions, HELP_GROUPS } from './common-options.js';
import type { Gate, GateOptions } from './gate.js';
import { emitReports, prepareGate } from './gate.js';
import { redactParseErrors, refuseTokenAsFlagValue } from './secret-guard.js';
import { graphSignInRequest, refuseSignInOffline } from './sign-in.js';
import type { TenantCommandOptions } from './tenant.js';

export interface PlanCommandOptions extends TenantCommandOptions {
  policies?: string[];
  remove?: string[];
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The formats of a change report: every tenant format but HTML. */
export const CHANGE_FORMAT_NAMES = FORMATS.filter((f) => (f as string) !== 'html');

/** Registers `plan`; only option definitions live here until it runs. */
export function registerPlanCommand(program: Command, io: Io, exit: ExitSink): void {
  const command = program
    .command('plan')
    .summary('judge a proposed Conditional Access change before it ships (gaps it opens, accounts it turns)')
    .description(
      'Apply proposed Conditional Access policies, named locations and authentication strengths (Graph JSON, as ' +
        'kept in a repository) to a baseline tenant, audit the proposed state, and report what the change does: ' +
        'accounts whose verdict changes, gaps opened and closed, findings added and removed, policies changed field ' +
        'by field. Exit 1 when the change opens a gap or turns an account from pass to fail or unknown.',
    );
  redactParseErrors(command)
    .optionsGroup(HELP_GROUPS.input)
    .option('--policies <path...>', 'proposed objects: JSON files or folders (one object or an array per file)')
    .option('--remove <id>', 'delete the policy, named location or strength with this id (repeatable)', collect)
    .option('--snapshot <file>', 'the baseline: a saved snapshot')
    .option('--demo', 'the baseline: the bundled demo partner tenant')
    .option('--tenant-id <id>', 'the baseline: this tenant, live through Microsoft Graph')
    .option('--break-glass <upns>', 'comma-separated emergency-access accounts (UPNs)')
    .option('--service-accounts <pattern|file>', 'regular expression or file of UPNs that are service accounts')
    .option('--now <iso-8601>', 'evaluate at this instant (default: now)');
  addGraphSignInOptions(command);
  addOutputOptions(command, CHANGE_FORMAT_NAMES);
  addCiOptions(command, { withBaseline: false })
    .addHelpText(
      'after',
      `
Examples:
  $ mfa-audit plan --demo --policies policies/ --format markdown -o plan.md
  $ mfa-audit plan --snapshot tenant.json --policies ca/require-mfa.json \\
      --remove 4f0e… --format sarif --output plan.sarif

Exit codes: 0 the change opens no gap and turns no account from pass; 1 it does
(even if the tenant had other gaps before; with --fail-on fail only changes
that end in 'fail' count); 2 usage error or invalid input (a proposed policy
that is not valid); 3 the live baseline could not be collected. Evidence from
Entra (What If, sign-ins) describes the policies as they are and is left out of
both states.`,
    )
    .action(async (options: PlanCommandOptions, command: Command) => {
      exit.code = await runPlan(options, io, command);
    });
}

/** plan and diff gate on the change, not on accepted exceptions: the baseline flags would be ignored (exit 2). */
export function refuseBaselineFlags(
  command: 'plan' | 'diff',
  options: Pick<GateOptions, 'baseline' | 'writeBaseline' | 'strict'>,
): void {
  for (const flag of ['baseline', 'writeBaseline', 'strict'] as const) {
    if (options[flag] !== undefined) {
      throw new UsageError(
        `${command}: --${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is for 'tenant'; ${command} gates on the change`,
      );
    }
  }
}

type BaselineSource = { kind: 'snapshot'; path: string } | { kind: 'demo' } | { kind: 'graph'; tenantId: string };

function chooseBaseline(options: PlanCommandOptions): BaselineSource {
  const given = [
    options.snapshot !== undefined && '--snapshot',
    options.demo === true && '--demo',
    options.tenantId !== undefined && '--tenant-id',
  ].filter((f): f is string => f !== false);
  if (given.length !== 1) {
    throw new UsageError(
      given.length === 0
        ? 'plan: give the baseline: --snapshot FILE, --demo, or --tenant-id ID (live)'
        : `plan: ${given.join(' and ')} cannot be used together; give exactly one baseline`,
    );
  }
  if ((options.policies ?? []).length === 0 && (options.remove ?? []).length === 0) {
    throw new UsageError('plan: say what changes: --policies PATH… (proposed objects) and/or --remove ID');
  }
  refuseBaselineFlags('plan', options);
  if (options.snapshot !== undefined) return { kind: 'snapshot', path: options.snapshot };
  if (options.demo === true) return { kind: 'demo' };
  return { kind: 'graph', tenantId: options.tenantId ?? '' };
}

async function loadBaseline(source: BaselineSource, options: PlanCommandOptions, io: Io, now: Date): Promise<Snapshot> {
  const { readSnapshot } = await import('../input/snapshot.js');
  if (source.kind === 'snapshot') return readSnapshot(resolve(io.cwd, source.path));
  if (source.kind === 'demo') {
    const { DEMO_TENANT_URL } = await import('./run-tenant.js');
    return readSnapshot(fileURLToPath(DEMO_TENANT_URL));
  }
  const { DEFAULT_GRAPH_URL, collectLive, parseGraphEndpoint, parseTenantId } = await import('../graph/live.js');
  const { parseAccountDesignations } = await import('../input/service-accounts.js');
  return collectLive(
    {
      tenantId: parseTenantId(source.tenantId),
      graph: parseGraphEndpoint(options.graphUrl ?? DEFAULT_GRAPH_URL),
      now,
      quiet: options.quiet === true,
      designations: await parseAccountDesignations(options, io.cwd),
      signIn: graphSignInRequest(options),
    },
    io,
  );
}

/** Checks the formats against the change reporters before anything is read. */
export async function changeReporters(gate: Gate) {
  const { CHANGE_REPORTERS } = await import('../report/change/registry.js');
  for (const target of gate.targets) {
    if (!(target.format in CHANGE_REPORTERS)) {
      throw new UsageError(`--format ${target.format}: not available for a change report (use markdown for people)`);
    }
  }
  return CHANGE_REPORTERS as Parameters<typeof emitReports>[2];
}

async function runPlan(given: PlanCommandOptions, io: Io, command?: Pick<Command, 'getOptionValueSource'>) {
  refuseTokenAsFlagValue(given, 'tenant');
  const source = chooseBaseline(given);
  if (source.kind !== 'graph') {
    refuseSignInOffline('plan', given, source.kind === 'demo' ? '--demo' : '--snapshot', command);
  }
  const { options, gate } = await prepareGate(io, 'tenant', given, command);
  const reporters = await changeReporters(gate);
  const now = parseNow(options.now, io);
  const say = progress(io, options.quiet);
  const { parseAccountDesignations } = await import('../input/service-accounts.js');
  const designations = await parseAccountDesignations(options, io.cwd);
  const { readChangeSet } = await import('../input/policies.js');
  const changes = await readChangeSet(options.policies ?? [], options.remove ?? [], io.cwd);
  say(source.kind === 'graph' ? `Collecting tenant ${source.tenantId} from Microsoft Graph…` : 'Reading the baseline…');
  const baseline = await loadBaseline(source, options, io, now);
  const { designationWarnings, printWarnings, snapshotUpns } = await import('./designation-warnings.js');
  printWarnings(io, designationWarnings(designations, options.serviceAccounts, snapshotUpns(baseline)));
  say(`Auditing the proposed state (${changes.objects.length} proposed, ${changes.remove.length} removed)…`);
  const { planChange } = await import('../core/plan/run.js');
  const outcome = planChange(baseline, changes, { now, ...designations }, baselineLabel(source));
  if (outcome.unknownRemovals.length > 0) {
    throw new UsageError(
      `plan: --remove ${outcome.unknownRemovals.join(', ')}: no policy, named location or authentication strength with that id in the baseline`,
    );
  }
  if (outcome.notCollected.length > 0) {
    throw new InputError(
      `plan: the baseline did not collect its ${outcome.notCollected.join(', ')} objects: a change to a list that is not known proves nothing`,
    );
  }
  await emitReports(io, gate, reporters, outcome.result, now);
  const { changeExitCode } = await import('../core/plan/gate.js');
  return changeExitCode(outcome.result.change, gate.failOn);
}

function baselineLabel(source: BaselineSource): string {
  return source.kind === 'snapshot'
    ? source.path
    : source.kind === 'demo'
      ? 'demo tenant'
      : `live tenant ${source.tenantId}`;
}
