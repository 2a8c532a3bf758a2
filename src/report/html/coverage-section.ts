/**
 * The coverage map as an HTML table (coverage.ts decides the cells): groups of accounts × classes of sign-in, each
 * cell a symbol and a word besides its colour, then what each group is (its verdict, accounts and gaps).
 */
import { escapeHtml as e } from '../escape.js';
import { plural } from '../tenant/wording.js';
import type { CellState, CoverageMap, CoverageRow } from './coverage.js';
import { badge } from './page.js';

const CELL: Readonly<Record<CellState, { symbol: string; word: string; meaning: string }>> = {
  open: { symbol: '✗', word: 'open', meaning: 'a sign-in of this class gets through without MFA (a gap shows it)' },
  uncertain: { symbol: '?', word: 'uncertain', meaning: 'a gap here may exist: data is missing or ambiguous' },
  unproven: { symbol: '·', word: 'not shown', meaning: 'no gap shown here, but not proven covered either' },
  covered: { symbol: '✓', word: 'covered', meaning: 'Conditional Access demands MFA or blocks every such sign-in' },
  mfa: { symbol: '✓', word: 'MFA', meaning: 'per-user MFA or security defaults demand MFA on every sign-in' },
  exempt: { symbol: '–', word: 'exempt', meaning: 'the accounts cannot sign in (or are the sync account)' },
};

/** Names shown per group before "and N more". */
const NAMES_SHOWN = 3;
/** Gaps described per group. */
const GAPS_SHOWN = 3;

function headerRows(map: CoverageMap): string {
  const dims: Array<{ name: string; span: number }> = [];
  for (const col of map.columns) {
    const last = dims[dims.length - 1];
    if (last && last.name === col.dimension) last.span += 1;
    else dims.push({ name: col.dimension, span: 1 });
  }
  const top = dims.map((d) => `<th scope="colgroup" colspan="${d.span}" class="dim">${e(d.name)}</th>`).join('');
  const labels = map.columns.map((col) => `<th scope="col">${e(col.label)}</th>`).join('');
  return `<tr><td></td>${top}</tr>\n<tr><th scope="col" class="dim">group</th>${labels}</tr>`;
}

function bodyRow(row: CoverageRow): string {
  const size = `${row.accounts.length} ${plural(row.accounts.length, 'account')}`;
  const cells = row.cells
    .map((state) => {
      const cell = CELL[state];
      return (
        `<td class="cell c-${state}" title="${e(cell.meaning)}"><span aria-hidden="true">${cell.symbol}</span>` +
        `<span class="sr">${cell.word}</span></td>`
      );
    })
    .join('');
  return `<tr><th scope="row"><a href="#group-${row.id}">${row.id}</a> ${badge(row.verdict)} ${size}</th>${cells}</tr>`;
}

function groupItem(row: CoverageRow): string {
  const names = row.accounts.slice(0, NAMES_SHOWN).map((a) => e(a.userPrincipalName || a.id));
  const more = row.accounts.length - names.length;
  const gaps = row.gaps
    .slice(0, GAPS_SHOWN)
    .map((gap) => `<li>${gap.possible ? 'possible gap: ' : ''}${e(gap.description)}</li>`);
  if (row.gaps.length > GAPS_SHOWN) gaps.push(`<li>… and ${row.gaps.length - GAPS_SHOWN} more gaps</li>`);
  const mechanisms = row.accounts[0]?.mechanisms.join(', ') ?? '';
  return (
    `<li id="group-${row.id}"><strong>${row.id}</strong> ${badge(row.verdict)} ` +
    `${row.accounts.length} ${plural(row.accounts.length, 'account')}: ${names.join(', ')}` +
    `${more > 0 ? ` and ${more} more` : ''}${mechanisms ? ` <span class="muted">(${e(mechanisms)})</span>` : ''} ` +
    `<button type="button" class="js-only" hidden data-group="${row.id}">Show these accounts</button>` +
    (gaps.length > 0 ? `<ul>${gaps.join('')}</ul>` : '') +
    '</li>'
  );
}

export function coverageSection(map: CoverageMap): string {
  const legend = (Object.keys(CELL) as CellState[])
    .map(
      (state) =>
        `<li><span class="c-${state}">${CELL[state].symbol}</span> ${CELL[state].word}: ${CELL[state].meaning}</li>`,
    )
    .join('');
  const hidden =
    map.hidden.groups > 0
      ? `<p>${map.hidden.groups} smaller groups (${map.hidden.accounts} accounts) are not shown; the account list has them all.</p>\n`
      : '';
  return (
    '<section id="coverage" aria-labelledby="coverage-h">\n<h2 id="coverage-h">Coverage map</h2>\n' +
    '<p>Each row is a group of accounts that share the same verdict, mechanisms and gaps; each column a class of ' +
    'sign-in. A cell is marked open only where a gap of the group proves a sign-in of that class gets through ' +
    'without MFA.</p>\n' +
    `<ul class="legend" aria-label="Legend">${legend}</ul>\n` +
    `<div class="scroll"><table class="coverage" aria-label="Coverage map: groups of accounts by class of sign-in">` +
    `<thead>${headerRows(map)}</thead>\n<tbody>${map.rows.map(bodyRow).join('\n')}</tbody></table></div>\n` +
    hidden +
    `<h3>The groups</h3>\n<ol class="groups">${map.rows.map(groupItem).join('\n')}</ol>\n</section>\n`
  );
}
