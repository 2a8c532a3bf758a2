/**
 * action.yml, the composite GitHub Action: it parses, every input that stands for a flag names a real flag of the
 * commands it lists, and its script, run by bash as GitHub runs it, passes each input to that flag — first against a
 * stub CLI that records its arguments, then against the built CLI on the demo tenant.
 */
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commands, optionOf } from './cli-flags.js';
import { action, flagOf, ROOT, runStep } from './action-model.js';

const scratch = mkdtempSync(join(tmpdir(), 'mfa-audit-action-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let runs = 0;

interface StepRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: string;
  summary: string;
}

/**
 * Runs the action's script as GitHub does (`bash --noprofile --norc -eo pipefail`), the inputs resolved through the
 * step's own `env:` block, with GITHUB_ACTION_PATH at `actionPath` and the working directory `cwd`.
 */
async function runAction(
  inputs: Record<string, string>,
  options: { actionPath: string; cwd: string; env?: Record<string, string> },
): Promise<StepRun> {
  for (const name of Object.keys(inputs)) expect(action.inputs, `input ${name}`).toHaveProperty(name);
  const dir = join(scratch, `run-${++runs}`);
  mkdirSync(dir);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_ACTION_PATH: options.actionPath,
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    RUNNER_TEMP: dir,
    ...options.env,
  };
  for (const [variable, expression] of Object.entries(runStep.env ?? {})) {
    const name = /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(expression)![1]!;
    env[variable] = inputs[name] ?? action.inputs[name]!.default ?? '';
  }
  writeFileSync(join(dir, 'output'), '');
  writeFileSync(join(dir, 'summary'), '');
  writeFileSync(join(dir, 'script.sh'), runStep.run!);
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', join(dir, 'script.sh')], {
    cwd: options.cwd,
    env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const outputs = readFileSync(join(dir, 'output'), 'utf8');
  return { code, stdout, stderr, outputs, summary: readFileSync(join(dir, 'summary'), 'utf8') };
}

/** A stand-in for bin/mfa-audit.js that records its arguments (and the federated assertion it was given). */
function stubCli(exitCode: number): { path: string; recorded: () => { args: string[]; assertion?: string; mode?: number } } {
  const path = mkdtempSync(join(scratch, 'stub-'));
  mkdirSync(join(path, 'bin'));
  const record = join(path, 'record.json');
  writeFileSync(
    join(path, 'bin', 'mfa-audit.js'),
    `const fs = require('node:fs');
const args = process.argv.slice(2);
const file = args[args.indexOf('--federated-token-file') + 1];
const assertion = file && fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
const mode = assertion === undefined ? undefined : fs.statSync(file).mode & 0o777;
fs.writeFileSync(${JSON.stringify(record)}, JSON.stringify({ args, assertion, mode }));
process.exitCode = ${exitCode};
`,
  );
  chmodSync(join(path, 'bin', 'mfa-audit.js'), 0o755);
  return { path, recorded: () => JSON.parse(readFileSync(record, 'utf8')) };
}

/** The `name<<DELIMITER … DELIMITER` and `name=value` lines of a GITHUB_OUTPUT file. */
function parseOutputs(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([\w-]+)<<(\w+)$/.exec(lines[i]!);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      result[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i]!.includes('=')) {
      const at = lines[i]!.indexOf('=');
      result[lines[i]!.slice(0, at)] = lines[i]!.slice(at + 1);
    }
  }
  return result;
}

describe('action.yml', () => {
  it('is a composite action on the current Node LTS, its inputs described and its steps pinned', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.inputs['node-version']!.default).toBe('24');
    expect(action.inputs.command!.default).toBe('tenant');
    expect(action.inputs.command!.description).toMatch(/tenant, token, plan or diff/);
    for (const [name, input] of Object.entries(action.inputs)) expect(input.description, name).toBeTruthy();
    const uses = action.runs.steps.flatMap((step) => step.uses ?? []);
    expect(uses).toEqual(['actions/setup-node@v5']);
    for (const key of ['exit-code', 'reports', 'summary']) {
      expect(action.outputs[key]!.value).toBe(`\${{ steps.run.outputs.${key} }}`);
    }
  });

  it('takes no secret as an input, and no input is pasted into a script (each reaches it through env)', () => {
    for (const name of Object.keys(action.inputs)) expect(name).not.toMatch(/(^|-)(secret|password|token)$/);
    for (const step of action.runs.steps) expect(step.run ?? '', step.name).not.toContain('${{');
    const used = Object.values(runStep.env ?? {}).map((expression) => /inputs\.([a-z-]+)/.exec(expression)?.[1]);
    const elsewhere = ['node-version', 'working-directory'];
    expect([...used, ...elsewhere].sort()).toEqual(Object.keys(action.inputs).sort());
  });

  it('every input that stands for a flag names a real flag of each command it lists', () => {
    const flagInputs = Object.entries(action.inputs).filter(([, input]) => flagOf(input));
    expect(flagInputs.length).toBeGreaterThan(10);
    for (const [name, input] of flagInputs) {
      const { flag, commands: listed } = flagOf(input)!;
      for (const command of listed) {
        if (!commands.has(command)) continue;
        expect(optionOf(command, flag), `input ${name}: 'mfa-audit ${command}' has no ${flag}`).toBeDefined();
      }
    }
  });

  it('passes each flag input to its flag, lists one per line, pairs formats with outputs, and fails with the CLI', async () => {
    const stub = stubCli(1);
    const inputs: Record<string, string> = { command: 'plan', args: '--quiet', 'step-summary': 'false' };
    const expected: string[][] = [];
    for (const [name, input] of Object.entries(action.inputs)) {
      const mapping = flagOf(input);
      if (!mapping || ['formats', 'outputs'].includes(name)) continue;
      // Lists take one value per line (or space); every other input is one value.
      const values = ['policies', 'remove'].includes(name) ? [`${name}-1`, `${name}-2`] : [`${name}-value`];
      inputs[name] = values.join('\n');
      for (const value of values) expected.push([mapping.flag, value]);
    }
    inputs.formats = 'sarif\njson markdown';
    inputs.outputs = 'out/plan.sarif out/plan.json';
    const run = await runAction(inputs, { actionPath: stub.path, cwd: scratch });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toContain('::error::mfa-audit exited with 1');
    const { args } = stub.recorded();
    expect(args.slice(0, 2)).toEqual(['plan', '--quiet']);
    const pairs = args.flatMap((arg, i) => (arg.startsWith('--') ? [[arg, args[i + 1]]] : []));
    for (const pair of expected) expect(pairs).toContainEqual(pair);
    const reports = ['--format', 'sarif', '--output', 'out/plan.sarif', '--format', 'json', '--output', 'out/plan.json'];
    expect(args.slice(-10)).toEqual([...reports, '--format', 'markdown']);
    expect(parseOutputs(run.outputs)['exit-code']).toBe('1');
  });

  it('with github-oidc, hands the workflow OIDC token to --federated-token-file and never prints it', async () => {
    const assertion = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmNvbnRvc28vcG9saWNpZXMifQ.c2lnbmF0dXJl';
    const requests: string[] = [];
    const server = createServer((request, response) => {
      requests.push(`${request.url} ${request.headers.authorization?.replace(/^bearer /, '')}`);
      response.end(JSON.stringify({ value: assertion }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const stub = stubCli(0);
      const { port } = server.address() as AddressInfo;
      const run = await runAction(
        { command: 'tenant', 'tenant-id': 'contoso.onmicrosoft.com', 'client-id': 'app', 'github-oidc': 'true' },
        {
          actionPath: stub.path,
          cwd: scratch,
          env: {
            ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/token?api-version=2.0`,
            ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token',
          },
        },
      );
      expect(run.code, run.stderr).toBe(0);
      expect(requests).toHaveLength(1);
      const [url, authorization] = requests[0]!.split(' ', 2);
      const query = new URL(url!, 'http://localhost').searchParams;
      expect([...query]).toEqual([['api-version', '2.0'], ['audience', 'api://AzureADTokenExchange']]);
      expect(authorization).toBe('request-token');
      const recorded = stub.recorded();
      expect(recorded.assertion).toBe(assertion);
      const file = recorded.args[recorded.args.indexOf('--federated-token-file') + 1]!;
      expect(recorded.mode, 'readable by its owner only').toBe(0o600);
      expect(existsSync(file), 'removed after the run').toBe(false);
      expect(run.stdout + run.stderr).not.toContain(assertion);
    } finally {
      server.close();
    }
  });

  it('with github-oidc but no id-token permission, stops with a one-line error', async () => {
    const stub = stubCli(0);
    const run = await runAction({ 'github-oidc': 'true' }, { actionPath: stub.path, cwd: scratch });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^::error::github-oidc needs 'permissions: id-token: write'/m);
  });

  it('runs the built CLI on the demo tenant: reports written, outputs set, the markdown in the job summary', async () => {
    const cwd = mkdtempSync(join(scratch, 'workspace-'));
    const inputs = {
      command: 'tenant',
      args: '--demo --now 2026-11-21T12:00:00Z',
      formats: 'sarif markdown',
      outputs: 'reports/mfa.sarif\nreports/mfa.md',
      fail: 'false',
    };
    const run = await runAction(inputs, { actionPath: ROOT, cwd });
    expect(run.code, run.stderr).toBe(0);
    const outputs = parseOutputs(run.outputs);
    expect(outputs['exit-code']).toBe('1');
    expect(outputs.reports!.split('\n')).toEqual([join(cwd, 'reports/mfa.md'), join(cwd, 'reports/mfa.sarif')]);
    expect(outputs.summary).toBe(join(cwd, 'reports/mfa.md'));
    expect(run.summary).toBe(readFileSync(join(cwd, 'reports/mfa.md'), 'utf8'));
    expect(run.summary).toMatch(/fail/i);
    expect(JSON.parse(readFileSync(join(cwd, 'reports/mfa.sarif'), 'utf8')).version).toBe('2.1.0');
  });

  describe('plan, in a checkout of a policies repository, against the demo tenant', () => {
    const checkout = () => {
      const cwd = mkdtempSync(join(scratch, 'policies-repo-'));
      cpSync(join(import.meta.dirname, 'fixtures', 'policies-repo'), cwd, { recursive: true });
      return cwd;
    };
    const plan = { command: 'plan', args: '--demo --now 2026-11-21T12:00:00Z', formats: 'markdown sarif table' };
    const outputs = 'reports/plan.md reports/plan.sarif';

    it('a policy file as the tenant has it: exit 0, the step passes, the plan in the job summary', async () => {
      const cwd = checkout();
      const policies = 'policies/ca002-require-mfa-for-all-users.json';
      const run = await runAction({ ...plan, outputs, policies }, { actionPath: ROOT, cwd });
      expect(run.code, run.stderr).toBe(0);
      const result = parseOutputs(run.outputs);
      expect(result['exit-code']).toBe('0');
      expect(result.summary).toBe(join(cwd, 'reports/plan.md'));
      expect(run.summary).toContain('opens no gap');
      expect(JSON.parse(readFileSync(join(cwd, 'reports/plan.sarif'), 'utf8')).version).toBe('2.1.0');
    });

    it('two policy files and a policy removed: exit 1 as an output, the step left to a later one (fail: false)', async () => {
      const cwd = checkout();
      const policies = 'policies/ca002-require-mfa-for-all-users.json\npolicies/ca004-block-legacy-authentication.json';
      const remove = 'a09bcf73-977d-401c-9b8d-1927686952a0'; // CA001 - Require MFA for administrators
      const run = await runAction({ ...plan, outputs, policies, remove, fail: 'false' }, { actionPath: ROOT, cwd });
      expect(run.code, run.stderr).toBe(0);
      expect(parseOutputs(run.outputs)['exit-code']).toBe('1');
      expect(run.stdout).toContain('(2 objects proposed, 1 removed)');
      expect(run.summary).toContain('REGRESSION');
      expect(parseOutputs(run.outputs).reports!.split('\n')).toEqual([
        join(cwd, 'reports/plan.md'),
        join(cwd, 'reports/plan.sarif'),
      ]);
    });
  });

  it('diff of a snapshot with itself (the nightly drift check on a quiet night): exit 0, the diff in the summary', async () => {
    const demo = join(ROOT, 'fixtures', 'demo-tenant.json');
    const cwd = mkdtempSync(join(scratch, 'workspace-'));
    const run = await runAction(
      { command: 'diff', args: `${demo} ${demo}`, formats: 'markdown table', outputs: 'reports/drift.md' },
      { actionPath: ROOT, cwd },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(parseOutputs(run.outputs)).toMatchObject({ 'exit-code': '0', summary: join(cwd, 'reports/drift.md') });
    expect(run.summary).toContain('mfa-audit diff');
  });

  it('by default shows a table in the log, writes the job summary from a report of its own, and fails the step', async () => {
    const cwd = mkdtempSync(join(scratch, 'workspace-'));
    const run = await runAction({ args: '--demo --now 2026-11-21T12:00:00Z' }, { actionPath: ROOT, cwd });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^mfa-audit tenant --demo --now 2026-11-21T12:00:00Z --format table --format markdown/m);
    expect(run.stdout).toContain('::error::mfa-audit exited with 1');
    const outputs = parseOutputs(run.outputs);
    expect(outputs['exit-code']).toBe('1');
    expect(outputs.summary).toMatch(/summary\.md$/);
    expect(run.summary).toBe(readFileSync(outputs.summary!, 'utf8'));
    expect(run.summary.length).toBeGreaterThan(100);
  });
});
