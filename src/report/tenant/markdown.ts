import type { TenantReport } from '../../core/tenant/types.js';
import type { RenderOptions } from '../types.js';

export function renderTenantMarkdown(_report: TenantReport, _options: RenderOptions): string {
  throw new Error('tenant markdown reporter: not implemented yet');
}
