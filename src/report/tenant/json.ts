import type { TenantReport } from '../../core/tenant/types.js';
import type { RenderOptions } from '../types.js';

export function renderTenantJson(_report: TenantReport, _options: RenderOptions): string {
  throw new Error('tenant json reporter: not implemented yet');
}
