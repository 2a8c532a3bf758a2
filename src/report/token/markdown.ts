import type { TokenReport } from '../../core/token/types.js';
import type { RenderOptions } from '../types.js';

export function renderTokenMarkdown(_report: TokenReport, _options: RenderOptions): string {
  throw new Error('token markdown reporter: not implemented yet');
}
