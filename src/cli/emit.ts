/**
 * The CI gate's edge (issue 5): configuration, baseline, every requested report, and the exit code. Both commands
 * go through here, so formats, --format/--output pairs, baselines and --fail-on behave alike.
 *
 * Wiring (two calls):
 *   - in the command's action: `options = await prepareGate(io, 'tenant', options, command)` — reads the config
 *     file (flags win), checks every --format/--output and reads --baseline *before* any data is collected;
 *   - at the end of the runner: `return finishTenantGate(io, options, report, now)` — applies the baseline, writes
 *     --write-baseline and every report, prints the notes, and returns the exit code.
 */
import type { Command } from 'commander';
import type { Baseline, BaselineSummary } from '../core/baseline.js';
import {
  applyTenantBaseline,
  applyTokenBaseline,
  baselineFromTenantReport,
  baselineFromTokenReport,
  describeEntry,
} from '../core/baseline.js';
import type { FailOn, Gated, GatePolicy } from '../core/gate.js';
import { tenantExitCode, tokenExitCode, unknownsIgnored } from '../core/gate.js';
import type { TenantReport } from '../core/tenant/types.js';
import type { TokenReport } from '../core/token/types.js';
import { UsageError } from '../errors.js';
import type { ConfigurableOptions } from '../input/config.js';
import type { RenderOptions, Reporter } from '../report/types.js';
import type { CommonOptions, Io } from './io.js';
import { wantsColor } from './io.js';
import type { OutputOptions, OutputTarget, ReportBody, StagedReport } from './output.js';
import { planOutputs, stageReport, writeReport } from './output.js';

/** The options of either command that the gate reads. */
export interface GateOptions extends OutputOptions {
  config?: string;
  baseline?: string;
  writeBaseline?: string;
  strict?: boolean;
  failOn?: string;
  now?: string;
  breakGlass?: string;
  serviceAccounts?: string;
  profile?: string;
}

type CommandKind = 'token' | 'tenant';

interface GateContext {
  kind: CommandKind;
  targets: OutputTarget[];
  baseline?: Baseline;
  failOn: FailOn;
}

/** What prepareGate worked out, kept with the options object it returned (no global state). */
const contexts = new WeakMap<object, GateContext>();

async function knownFormats(kind: CommandKind): Promise<string[]> {
  const { tenantReporters, tokenReporters } = await import('../report/registry.js');
  return Object.keys(kind === 'token' ? tokenReporters : tenantReporters);
}

/**
 * Reads the config (under the flags), plans the outputs and reads the baseline: every mistake in them is an exit 2
 * before anything is collected. Returns the options to run with (the config applied).
 */
export async function prepareGate<O extends GateOptions>(
  io: Io,
  kind: CommandKind,
  options: O,
  command?: Pick<Command, 'getOptionValueSource'>,
): Promise<O> {
  const { loadConfig, mergeConfig } = await import('../input/config.js');
  const given = (key: keyof ConfigurableOptions): boolean => {
    const source = command?.getOptionValueSource(key);
    return command ? source !== undefined && source !== 'default' : options[key] !== undefined;
  };
  const merged = await mergeConfig(kind, options, await loadConfig(io, options.config), given);
  if (merged.failOn !== undefined && merged.failOn !== 'fail' && merged.failOn !== 'unknown') {
    throw new UsageError(`--fail-on '${merged.failOn}' is not one of: fail, unknown`);
  }
  const targets = planOutputs(io, merged, await knownFormats(kind));
  let baseline: Baseline | undefined;
  if (merged.baseline !== undefined) {
    const { loadBaseline } = await import('../input/baseline.js');
    baseline = await loadBaseline(merged.baseline, io.cwd);
  }
  contexts.set(merged, { kind, targets, baseline, failOn: (merged.failOn as FailOn | undefined) ?? 'unknown' });
  return merged;
}

async function contextFor(io: Io, kind: CommandKind, options: GateOptions): Promise<GateContext> {
  const known = contexts.get(options);
  if (known) return known;
  // A runner called without prepareGate (tests, other callers): prepare now, on the options as given.
  const prepared = await prepareGate(io, kind, options);
  return contexts.get(prepared) as GateContext;
}

/**
 * A reporter may also offer its text in chunks (`chunks`, same bytes as the string): then a large report is written
 * as it is rendered instead of being built as one string first (the tenant JSON report of a 100,000-user tenant).
 */
type ChunkedReporter<R> = Reporter<R> & { chunks?: (result: R, options: RenderOptions) => Iterable<string> };

/**
 * Renders the result in every requested format and writes each report whole: files first (each under a temporary
 * name; all are renamed into place only once every one is written), stdout last. Reports that render as one string
 * are rendered before anything is written; chunked ones while their temporary file is written. So a failure leaves
 * no partial set of reports behind.
 */
export async function emitReports<R>(
  io: Io,
  options: CommonOptions,
  reporters: Record<string, () => Promise<Reporter<R>>>,
  result: R,
  now: Date,
  targets: OutputTarget[] = planOutputs(io, options, Object.keys(reporters)),
): Promise<void> {
  const rendered: Array<{ body: () => ReportBody; path?: string }> = [];
  for (const target of targets) {
    const load = reporters[target.format];
    if (!load) throw new UsageError(`unknown format '${target.format}'`);
    const render = (await load()) as ChunkedReporter<R>;
    const renderOptions: RenderOptions = {
      // Colour only in a table for a person at a terminal; machine formats and files never carry it.
      color: target.format === 'table' && target.path === undefined && wantsColor(io, options),
      verbose: options.verbose === true,
      now,
      width: (io.stdout as { columns?: number }).columns,
    };
    const chunks = render.chunks;
    if (chunks) {
      rendered.push({ body: () => chunks(result, renderOptions), path: target.path });
    } else {
      const text = render(result, renderOptions);
      rendered.push({ body: () => text, path: target.path });
    }
  }
  const staged: StagedReport[] = [];
  try {
    for (const report of rendered) {
      if (report.path !== undefined) staged.push(await stageReport(io, report.body(), report.path));
    }
  } catch (error) {
    await Promise.all(staged.map((s) => s.discard()));
    throw error;
  }
  for (const file of staged) await file.commit();
  for (const report of rendered.filter((r) => r.path === undefined)) await writeReport(io, report.body());
}

function note(io: Io, options: CommonOptions, line: string): void {
  if (options.quiet) return;
  io.stderr.write(`mfa-audit: note: ${line}\n`);
}

function baselineNotes(io: Io, options: GateOptions, summary: BaselineSummary | undefined): void {
  if (!summary) return;
  if (summary.strict) note(io, options, '--strict: the baseline is ignored; every failure fails the gate');
  for (const entry of summary.expired) note(io, options, `baseline entry expired, failing again: ${describeEntry(entry)}`);
  if (summary.unused.length > 0) {
    note(
      io,
      options,
      `${summary.unused.length} baseline entr${summary.unused.length === 1 ? 'y matches' : 'ies match'} nothing ` +
        `that fails any more; remove ${summary.unused.length === 1 ? 'it' : 'them'}: ` +
        summary.unused.map(describeEntry).join('; '),
    );
  }
}

/** What differs between the two commands at the end of a run; everything else is the same gate. */
interface GateSpec<R> {
  kind: CommandKind;
  /** What one result is called in notes: "token", "account". */
  noun: string;
  reporters: () => Promise<Record<string, () => Promise<Reporter<R>>>>;
  applyBaseline: (report: R, baseline: Baseline, options: { now: Date; strict: boolean; path?: string }) => R;
  baselineFrom: (report: R, now: Date) => Baseline;
  baselineSummary: (report: R) => BaselineSummary | undefined;
  items: (report: R) => readonly Gated[];
  exitCode: (report: R, policy: GatePolicy) => 0 | 1 | 3;
}

const TOKEN_GATE: GateSpec<TokenReport> = {
  kind: 'token',
  noun: 'token',
  reporters: () => import('../report/registry.js').then((m) => m.tokenReporters),
  applyBaseline: applyTokenBaseline,
  baselineFrom: baselineFromTokenReport,
  baselineSummary: (report) => report.baseline,
  items: (report) => report.results,
  exitCode: tokenExitCode,
};

const TENANT_GATE: GateSpec<TenantReport> = {
  kind: 'tenant',
  noun: 'account',
  reporters: () => import('../report/registry.js').then((m) => m.tenantReporters),
  applyBaseline: applyTenantBaseline,
  baselineFrom: baselineFromTenantReport,
  baselineSummary: (report) => report.baseline,
  items: (report) => report.accounts,
  exitCode: tenantExitCode,
};

/** Baseline, --write-baseline, every report, the notes, and the exit code (0/1/3, see src/core/gate.ts). */
async function finishGate<R>(spec: GateSpec<R>, io: Io, options: GateOptions, report: R, now: Date): Promise<number> {
  const context = await contextFor(io, spec.kind, options);
  const final = context.baseline
    ? spec.applyBaseline(report, context.baseline, { now, strict: options.strict === true, path: options.baseline })
    : report;
  if (options.writeBaseline !== undefined) {
    const { writeBaselineFile } = await import('../input/baseline.js');
    const written = spec.baselineFrom(final, now);
    await writeBaselineFile(options.writeBaseline, io.cwd, written);
    const count = written.entries.length;
    note(io, options, `wrote ${count} baseline entr${count === 1 ? 'y' : 'ies'} to ${options.writeBaseline}; fill in reason and owner`);
  }
  await emitReports(io, options, await spec.reporters(), final, now, context.targets);
  baselineNotes(io, options, spec.baselineSummary(final));
  const policy = { failOn: context.failOn };
  const ignored = unknownsIgnored(spec.items(final), policy);
  if (ignored > 0) note(io, options, `${ignored} unknown ${spec.noun}${ignored === 1 ? '' : 's'} not failing the run (--fail-on fail)`);
  return spec.exitCode(final, policy);
}

/** Finishes `mfa-audit token`. */
export function finishTokenGate(io: Io, options: GateOptions, report: TokenReport, now: Date): Promise<number> {
  return finishGate(TOKEN_GATE, io, options, report, now);
}

/** Finishes `mfa-audit tenant`. */
export function finishTenantGate(io: Io, options: GateOptions, report: TenantReport, now: Date): Promise<number> {
  return finishGate(TENANT_GATE, io, options, report, now);
}
