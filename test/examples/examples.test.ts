/**
 * examples/ and docs/ci.md are checked: the pipelines parse, they keep least privilege and no secret, and every
 * `mfa-audit` command line in them uses real flags of the CLI (read from the commander program itself).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkInvocation, invocations } from './cli-flags.js';
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

describe('examples/', () => {
  it('has a GitHub Actions workflow and an Azure Pipelines definition', () => {
    expect(yamlFiles.some((f) => f.includes('github'))).toBe(true);
    expect(yamlFiles.some((f) => f.includes('azure-pipelines'))).toBe(true);
  });

  for (const file of yamlFiles) {
    it(`${file} parses, and every mfa-audit command in it uses real flags`, () => {
      const text = read(file);
      const doc = parseYaml(text) as Record<string, Yaml>;
      expect(doc).toBeTypeOf('object');
      const found = invocations(text);
      expect(found.length, 'no mfa-audit command found').toBeGreaterThan(0);
      for (const words of found) checkInvocation(words, file);
      // No secret in a pipeline: federated sign-in only.
      expect(text).not.toMatch(/secrets\.|client-secret|clientSecret|--client-secret-env/i);
    });
  }

  it('the GitHub workflow asks for least privilege and uploads SARIF and a step summary', () => {
    const doc = parseYaml(read('examples/github/mfa-audit.yml')) as Record<string, Yaml>;
    expect(doc.permissions).toEqual({ contents: 'read', 'id-token': 'write', 'security-events': 'write' });
    const jobs = doc.jobs as Record<string, { steps: Array<Record<string, Yaml>> }>;
    const steps = Object.values(jobs).flatMap((job) => job.steps);
    const uses = steps.map((step) => step.uses).filter((u): u is string => typeof u === 'string');
    for (const action of uses) expect(action).toMatch(/@v\d+$/);
    expect(uses).toContain('azure/login@v2');
    expect(uses).toContain('github/codeql-action/upload-sarif@v3');
    expect(steps.some((step) => typeof step.run === 'string' && step.run.includes('$GITHUB_STEP_SUMMARY'))).toBe(true);
    const login = steps.find((step) => step.uses === 'azure/login@v2')!.with as Record<string, string>;
    expect(Object.keys(login).sort()).toEqual(['allow-no-subscriptions', 'client-id', 'tenant-id']);
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

  it('the checker itself catches a made-up flag', () => {
    expect(() => checkInvocation(['tenant', '--demo', '--made-up'], 'test')).toThrow(/no option --made-up/);
    expect(() => checkInvocation(['tenant', '--format', 'pdf'], 'test')).toThrow();
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
