import type { TenantReport } from '../../core/tenant/types.js';
import type { RenderOptions } from '../types.js';

export function renderTenantTable(_report: TenantReport, _options: RenderOptions): string {
  throw new Error('tenant table reporter: not implemented yet');
}
