import type { TokenReport } from '../../core/token/types.js';
import type { RenderOptions } from '../types.js';

export function renderTokenTable(_report: TokenReport, _options: RenderOptions): string {
  throw new Error('token table reporter: not implemented yet');
}
