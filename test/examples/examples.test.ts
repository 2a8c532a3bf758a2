/**
 * examples/ and docs/ci.md are checked: the pipelines parse, they keep least privilege and no secret, and every
 * `mfa-audit` command line in them uses real flags of the CLI (read from the commander program itself).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { FORMATS } from '../../src/report/registry.js';
import { memoryIo } from '../helpers/io.js';
import type { Yaml } from './yaml-lite.js';
import { parseYaml } from './yaml-lite.js';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

function files(dir: string, ext: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith(ext))
    .map((name) => join(dir, name));
}

const program = buildProgram(memoryIo(), { code: 0 });
const commands = new Map(program.commands.map((command: Command) => [command.name(), command]));
const formats = { token: [...FORMATS] as string[], tenant: [...FORMATS] as string[] };

/** Every `mfa-audit <command> …` invocation in a text, as argument lists (quotes removed, continuations joined). */
function invocations(text: string): string[][] {
  const joined = text.replace(/\\\r?\n\s*/g, ' ');
  const found: string[][] = [];
  for (const line of joined.split(/\r?\n/)) {
    const match = /(?:^|[\s$(|;&`])(?:npx\s+)?(?:node\s+bin\/)?mfa-audit(?:\.js)?\s+((?:token|tenant)\b.*)$/.exec(line);
    if (!match) continue;
    found.push(split(match[1]!));
  }
  return found;
}

/** Shell-ish word splitting: quotes group, a pipe, redirect or comment ends the command. */
function split(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  let started = false;
  for (const c of command) {
    if (quote) {
      if (c === quote) quote = undefined;
      else word += c;
      continue;
    }
    if (c === '`') break; // the end of inline code in prose
    if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (/\s/.test(c)) {
      if (started) words.push(word);
      word = '';
      started = false;
    } else if ('|;<>#`'.includes(c) && !started) {
      break;
    } else {
      word += c;
      started = true;
    }
  }
  if (started) words.push(word);
  return words;
}

function checkInvocation(words: string[], where: string): void {
  const [name, ...args] = words;
  const command = commands.get(name ?? '');
  expect(command, `${where}: unknown command in 'mfa-audit ${words.join(' ')}'`).toBeDefined();
  const options = command!.options;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-') || arg === '-') continue;
    const flag = arg.split('=')[0]!;
    const option = options.find((o) => o.long === flag || o.short === flag || (o.negate && o.long === flag));
    expect(option, `${where}: 'mfa-audit ${name}' has no option ${flag}`).toBeDefined();
    if (option!.required || option!.optional) {
      const value = arg.includes('=') ? arg.split('=')[1] : args[++i];
      expect(value, `${where}: ${flag} needs a value`).toBeDefined();
      if (option!.long === '--format') expect(formats[name as 'token' | 'tenant']).toContain(value);
      if (option!.long === '--fail-on') expect(['fail', 'unknown']).toContain(value);
    }
  }
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
