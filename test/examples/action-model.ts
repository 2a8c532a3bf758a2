/**
 * action.yml as data: its inputs, the step that runs the CLI, and which flag each input stands for (the
 * "(--flag; command, command)" its description ends with), so tests can check the Action and the workflows that use it
 * against the real CLI.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseYaml } from './yaml-lite.js';

export interface ActionInput {
  description: string;
  required?: string;
  default?: string;
}
export interface ActionStep {
  name: string;
  id?: string;
  uses?: string;
  run?: string;
  shell?: string;
  if?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Action {
  name: string;
  description: string;
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

export const ROOT = join(import.meta.dirname, '..', '..');
export const action = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as unknown as Action;
export const runStep = action.runs.steps.find((step) => step.id === 'run')!;

/** The flag an input stands for and the commands it applies to, from the end of its description. */
export function flagOf(input: ActionInput): { flag: string; commands: string[] } | undefined {
  const match = /\((--[a-z-]+); ([a-z, ]+)\)\.?$/.exec(input.description);
  return match ? { flag: match[1]!, commands: match[2]!.split(/,\s*/) } : undefined;
}

/** Inputs that take several values (split on whitespace), each passed with its own flag. */
const LISTS = new Set(['policies', 'remove', 'formats', 'outputs']);

/**
 * The command line a `uses:` of the Action stands for (`with:` values; `${{ … }}` expressions become one word), for
 * the flag checker. Formats and outputs are paired in order, as the Action's script pairs them.
 */
export function commandLineOf(inputs: Record<string, string>): string[] {
  const words = (value: string | undefined) => (value ?? '').replace(/\$\{\{[^}]*\}\}/g, 'EXPR').split(/\s+/).filter(Boolean);
  const line = [...words(inputs.command ?? action.inputs.command!.default), ...words(inputs.args)];
  for (const [name, value] of Object.entries(inputs)) {
    const mapping = flagOf(action.inputs[name] ?? { description: '' });
    if (!mapping || name === 'formats' || name === 'outputs') continue;
    for (const word of LISTS.has(name) ? words(value) : [value]) line.push(mapping.flag, word);
  }
  const formats = words(inputs.formats ?? action.inputs.formats!.default);
  const outputs = words(inputs.outputs);
  for (let i = 0; i < Math.max(formats.length, outputs.length); i++) {
    if (formats[i]) line.push('--format', formats[i]!);
    if (outputs[i]) line.push('--output', outputs[i]!);
  }
  return line;
}
