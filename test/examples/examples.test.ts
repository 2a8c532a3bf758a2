/**
 * examples/ and docs/ci.md are checked: the pipelines parse, they keep least privilege and no secret, and every
 * `mfa-audit` command line in them uses real flags of the CLI (read from the commander program itself).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { action, commandLineOf, flagOf } from './action-model.js';
import { checkInvocation, commands, invocations } from './cli-flags.js';
import type { Yaml } from './yaml-lite.js';
import { parseYaml } from './yaml-lite.js';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

function files(dir: string, ext: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith(ext))
    .map((name) => join(dir, name));
}

const yamlFiles = [...files('examples', '.yml'), ...files('examples', '.yaml')];

type Step = Record<string, Yaml> & { uses?: string; run?: string; if?: string; with?: Record<string, string> };
interface Workflow {
  on: Record<string, Yaml>;
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
}
const workflow = (file: string) => parseYaml(read(file)) as unknown as Workflow;
const stepsOf = (doc: Workflow) => Object.values(doc.jobs).flatMap((job) => job.steps);
/** A step that uses this repository's Action (`OWNER/mfa-audit@REF`). */
const isMfaAudit = (step: Step) => typeof step.uses === 'string' && /(^|\/)mfa-audit@/.test(step.uses);

describe('examples/', () => {
  it('has GitHub Actions workflows (a tenant gate, policies as code) and an Azure Pipelines definition', () => {
    expect(yamlFiles.filter((f) => f.includes('github')).sort()).toEqual([
      'examples/github/mfa-audit.yml',
      'examples/github/policies-nightly.yml',
      'examples/github/policies-pr.yml',
    ]);
    expect(yamlFiles.some((f) => f.includes('azure-pipelines'))).toBe(true);
  });

  for (const file of yamlFiles) {
    it(`${file} parses, and every mfa-audit command and use of the Action in it has real flags`, () => {
      const text = read(file);
      const doc = parseYaml(text) as Record<string, Yaml>;
      expect(doc).toBeTypeOf('object');
      const found = invocations(text);
      for (const step of file.includes('github') ? stepsOf(doc as unknown as Workflow) : []) {
        if (!isMfaAudit(step)) continue;
        // Only inputs the Action declares: GitHub ignores an unknown one with a mere warning.
        for (const input of Object.keys(step.with ?? {})) expect(action.inputs, `${file}: input ${input}`).toHaveProperty(input);
        found.push(commandLineOf(step.with ?? {}));
      }
      expect(found.length, 'no mfa-audit command found').toBeGreaterThan(0);
      for (const words of found) checkInvocation(words, file);
      // No secret in a pipeline: federated sign-in only.
      expect(text).not.toMatch(/secrets\.|client-secret|clientSecret|--client-secret-env/i);
      // The current Node LTS wherever a version is chosen (the Action's default is 24 too).
      for (const [, version] of text.matchAll(/(?:node-version|versionSpec):\s*"?([^"\s]+)/g)) expect(version).toMatch(/^24\b/);
    });
  }

  for (const file of yamlFiles.filter((f) => f.includes('github'))) {
    it(`${file}: actions pinned to a release, no expression pasted into a script`, () => {
      for (const step of stepsOf(workflow(file))) {
        if (step.uses) expect(step.uses).toMatch(/@v\d+(\.\d+){0,2}$/);
        // Values reach scripts through env: an expression in a script could turn data (a branch name) into code.
        expect(step.run ?? '', step.run).not.toContain('${{');
      }
    });
  }

  it('the tenant gate asks for least privilege, signs in with its OIDC token and uploads SARIF', () => {
    const doc = workflow('examples/github/mfa-audit.yml');
    expect(doc.permissions).toEqual({ contents: 'read', 'id-token': 'write', 'security-events': 'write' });
    const steps = stepsOf(doc);
    const audit = steps.find(isMfaAudit)!;
    expect(audit.with).toMatchObject({ command: 'tenant', 'github-oidc': 'true' });
    expect(commandLineOf(audit.with!)).toEqual(expect.arrayContaining(['--format', 'markdown', '--format', 'sarif']));
    const upload = steps.find((step) => step.uses === 'github/codeql-action/upload-sarif@v4')!;
    expect(upload.if).toContain('!cancelled()');
    expect(commandLineOf(audit.with!)).toContain(upload.with!.sarif_file);
  });

  it('the nightly workflow keeps the snapshot that pull requests plan against, and diffs it with the night before', () => {
    const nightly = workflow('examples/github/policies-nightly.yml');
    expect(Object.keys(nightly.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(nightly.permissions).toEqual({ contents: 'read', actions: 'read', 'id-token': 'write' });
    const steps = stepsOf(nightly);
    const [audit, drift] = steps.filter(isMfaAudit);
    expect(audit!.with).toMatchObject({ command: 'tenant', 'github-oidc': 'true', fail: 'false' });
    const saved = audit!.with!['save-snapshot']!;
    const keep = steps.find((step) => step.with?.name === 'tenant-snapshot')!;
    expect(keep.with!.path).toBe(saved);
    expect(drift!.with).toMatchObject({ command: 'diff', args: `previous/tenant.json ${saved}` });
    const fetchPrevious = steps.find((step) => step.run?.includes('gh run download'))!;
    expect(fetchPrevious.run).toContain('--workflow mfa-audit-nightly.yml');
    expect(fetchPrevious.run).toContain('--name tenant-snapshot --dir previous');
    // The job still fails on a failing or incomplete audit, after the snapshot and the reports are kept.
    const last = steps[steps.length - 1]!;
    expect(last.if).toBe(`\${{ !cancelled() && steps.audit.outputs.exit-code != '0' }}`);
    expect(steps[steps.length - 2]!.if).toContain("steps.drift.outputs.exit-code != '0'");
    expect(last.run).toMatch(/exit 1\s*$/);
  });

  it('the pull-request workflow plans offline against that snapshot, comments, uploads SARIF, then fails on a gap', () => {
    const pr = workflow('examples/github/policies-pr.yml');
    expect(Object.keys(pr.on)).toEqual(['pull_request']);
    // No id-token: the code of a pull request never gets a credential for the tenant.
    expect(pr.permissions).toEqual({
      contents: 'read',
      actions: 'read',
      'pull-requests': 'write',
      'security-events': 'write',
    });
    const steps = stepsOf(pr);
    const download = steps.find((step) => step.run?.includes('gh run download'))!;
    expect(download.run).toContain('--workflow mfa-audit-nightly.yml');
    expect(download.run).toContain('--name tenant-snapshot --dir snapshot');
    const plan = steps.find(isMfaAudit)!;
    expect(plan.id).toBe('plan');
    expect(plan.with).toMatchObject({ command: 'plan', snapshot: 'snapshot/tenant.json', fail: 'false' });
    for (const input of ['tenant-id', 'client-id', 'github-oidc', 'certificate', 'federated-token-file']) {
      expect(plan.with).not.toHaveProperty(input);
    }
    const names = steps.map((step) => step.uses ?? step.name);
    const comment = steps.find((step) => step.uses === 'actions/github-script@v8')!;
    expect(comment.env).toEqual({ PLAN: '${{ steps.plan.outputs.summary }}' });
    expect(comment.with!.script).toContain('updateComment');
    const upload = steps.find((step) => step.uses === 'github/codeql-action/upload-sarif@v4')!;
    expect(commandLineOf(plan.with!)).toContain(upload.with!.sarif_file);
    const fail = steps.find((step) => step.name === 'Fail on a new gap')!;
    expect(fail.if).toBe("${{ steps.plan.outputs.exit-code != '0' }}");
    expect(names.indexOf('Fail on a new gap')).toBe(names.length - 1);
  });

  it('the Azure pipeline publishes JUnit even when the gate fails', () => {
    const doc = parseYaml(read('examples/azure-pipelines/mfa-audit.yml')) as { steps: Array<Record<string, Yaml>> };
    const publish = doc.steps.find((step) => step.task === 'PublishTestResults@2')!;
    expect(publish.condition).toBe('succeededOrFailed()');
    expect((publish.inputs as Record<string, string>).testResultsFormat).toBe('JUnit');
  });

  it('docs/ci.md: every mfa-audit command uses real flags', () => {
    const found = invocations(read('docs/ci.md'));
    expect(found.length).toBeGreaterThan(3);
    for (const words of found) checkInvocation(words, 'docs/ci.md');
  });

  it("docs/ci.md: the Action's table names every input, with the flag and commands action.yml gives it", () => {
    const rows = new Map(
      [...read('docs/ci.md').matchAll(/^\| `([a-z-]+)` \|(.*)\|(.*)\|(.*)\|$/gm)].map((m) => [m[1]!, m.slice(2).map((cell) => cell.trim())]),
    );
    for (const [name, input] of Object.entries(action.inputs)) {
      const row = rows.get(name);
      expect(row, `docs/ci.md: no row for input ${name}`).toBeDefined();
      const [meaning, listed] = row!;
      const mapping = flagOf(input);
      if (mapping) {
        expect(meaning, name).toContain(`\`${mapping.flag}\``);
        expect(listed === 'all' ? [...commands.keys()].sort() : listed!.split(/,\s*/), name).toEqual(
          listed === 'all' ? [...mapping.commands].sort() : mapping.commands,
        );
      }
    }
  });

  it('the checker itself catches a made-up flag', () => {
    expect(() => checkInvocation(['tenant', '--demo', '--made-up'], 'test')).toThrow(/no option --made-up/);
    expect(() => checkInvocation(['tenant', '--format', 'pdf'], 'test')).toThrow();
    expect(() => checkInvocation(['plan', '--demo', '--format', 'html'], 'test')).toThrow(/plan --format/);
    expect(() => checkInvocation(['diff', 'a.json', 'b.json', '--policies', 'p'], 'test')).toThrow(/no option/);
  });
});

describe('yaml-lite', () => {
  it('reads the subset the examples use, and refuses the rest', () => {
    expect(parseYaml('a: 1\nb:\n  - x\n  - k: v\n    j: "q # r"\nc: |\n  line 1\n  line 2\n')).toEqual({
      a: '1',
      b: ['x', { k: 'v', j: 'q # r' }],
      c: 'line 1\nline 2\n',
    });
    expect(() => parseYaml('a: [1, 2]')).toThrow(/unsupported/);
    expect(() => parseYaml('a: 1\na: 2')).toThrow(/duplicate/);
    expect(() => parseYaml('a:\n\tb: 1')).toThrow(/tab/);
  });
});
