/**
 * The change as JUnit XML: one test suite, one test case per gap opened, per account whose verdict changed and per
 * new account without coverage. A regression is a failure; a change for the better passes. A change that moves
 * nothing gives one passing case, so CI dashboards show the run.
 */
import type { PlanResult } from '../../core/plan/types.js';
import { isRegression } from '../../core/plan/compare.js';
import { xmlEscape } from '../junit.js';
import type { RenderOptions } from '../types.js';
import { accountLabel, gapLine, headline, verdictLine } from './wording.js';

interface Case {
  name: string;
  failure?: string;
}

function caseXml(c: Case): string {
  const open = `    <testcase classname="mfa-audit.change" name="${xmlEscape(c.name).replace(/\n/g, '&#10;')}"`;
  if (c.failure === undefined) return `${open}/>`;
  const message = xmlEscape(c.failure).replace(/\n/g, '&#10;');
  return `${open}>\n      <failure message="${message}" type="regression">${xmlEscape(c.failure)}</failure>\n    </testcase>`;
}

export function renderChangeJunit(result: PlanResult, _options?: RenderOptions): string {
  const { change } = result;
  const cases: Case[] = [];
  for (const g of change.gapsOpened) cases.push({ name: `gap opened: ${g.description}`, failure: gapLine(g) });
  for (const c of change.verdictChanges) {
    const name = `${accountLabel(c)}: ${c.from} → ${c.to}`;
    cases.push(isRegression(c) ? { name, failure: verdictLine(c) } : { name });
  }
  for (const c of change.accountsAdded) cases.push({ name: `new account ${accountLabel(c)}`, failure: verdictLine(c) });
  if (cases.length === 0) cases.push({ name: headline(change).text });
  const failures = cases.filter((c) => c.failure !== undefined).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mfa-audit ${change.command}" tests="${cases.length}" failures="${failures}" errors="0">`,
    `  <testsuite name="${xmlEscape(`${change.command} ${change.tenantId}`)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" timestamp="${xmlEscape(change.generatedAt.replace(/\.\d+Z$/, ''))}">`,
    ...cases.map(caseXml),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
