/**
 * The change for machines (schemas/change-report.schema.json): `{ format, change, proposed? }`. The proposed state is
 * the tenant JSON report itself, streamed in its own chunks, so a plan of a 100,000-account tenant is never one
 * string in memory.
 */
import type { PlanResult } from '../../core/plan/types.js';
import { renderTenantJsonChunks } from '../tenant/json.js';
import type { RenderOptions } from '../types.js';

const CHANGE_REPORT_FORMAT = 'mfa-audit-change/1';

export function* renderChangeJsonChunks(result: PlanResult, options: RenderOptions): Generator<string> {
  const change = JSON.stringify(result.change, null, 2).replace(/\n/g, '\n  ');
  let head = `{\n  "format": ${JSON.stringify(CHANGE_REPORT_FORMAT)},\n  "change": ${change}`;
  if (!result.proposed) {
    yield head + '\n}\n';
    return;
  }
  head += ',\n  "proposed": ';
  let pending: string | undefined = head;
  for (const chunk of renderTenantJsonChunks(result.proposed, options)) {
    if (pending !== undefined) yield pending;
    pending = chunk;
  }
  yield (pending ?? '').replace(/\n$/, '') + '\n}\n';
}
