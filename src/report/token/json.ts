import type { TokenReport } from '../../core/token/types.js';
import type { RenderOptions } from '../types.js';

export function renderTokenJson(_report: TokenReport, _options: RenderOptions): string {
  throw new Error('token json reporter: not implemented yet');
}
