/**
 * The change reports of `plan` and `diff`, one per format of the tenant report. Loaded only when a change is
 * reported (cli/plan.ts, cli/diff.ts import this module lazily); the JSON report streams its proposed state.
 */
import type { PlanResult } from '../../core/plan/types.js';
import type { ReportWriter } from '../types.js';
import { renderChangeCsv } from './csv.js';
import { renderChangeJsonChunks } from './json.js';
import { renderChangeJunit } from './junit.js';
import { renderChangeMarkdown } from './markdown.js';
import { renderChangeSarif } from './sarif.js';
import { renderChangeTable } from './table.js';

/** The formats a change is rendered in (an HTML format of the tenant report has no change report). */
type ChangeFormat = 'table' | 'json' | 'markdown' | 'csv' | 'junit' | 'sarif';

type Render = (result: PlanResult, options: Parameters<ReportWriter<PlanResult>['write']>[2]) => string;

function whole(render: Render): ReportWriter<PlanResult> {
  return { write: async (sink, result, options) => sink.write(render(result, options)) };
}

export const CHANGE_REPORTERS: Readonly<Record<ChangeFormat, ReportWriter<PlanResult>>> = {
  table: whole(renderChangeTable),
  json: {
    async write(sink, result, options) {
      for (const chunk of renderChangeJsonChunks(result, options)) await sink.write(chunk);
    },
  },
  markdown: whole(renderChangeMarkdown),
  csv: whole(renderChangeCsv),
  junit: whole(renderChangeJunit),
  sarif: whole(renderChangeSarif),
};
