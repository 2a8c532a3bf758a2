// Types of bench/what-if-evaluator.js (the test Graph server's independent What If evaluator).
import type { WhatIfRequest } from './graph-server.js';

export const APP_GROUPS: Readonly<Record<'Office365' | 'MicrosoftAdminPortals', readonly string[]>>;

/** undefined when the body is valid, else the message of Graph's 400 answer. */
export function validateWhatIfRequest(body: unknown): string | undefined;

export interface WhatIfEvaluation {
  policy: Record<string, unknown> & { id: string };
  policyApplies: boolean;
  analysisReasons: string;
}

export function createWhatIfEvaluator(graph: Record<string, unknown>): {
  evaluate(request: WhatIfRequest): WhatIfEvaluation[];
};

export function evaluateDeviceRule(rule: string, get: (name: string) => unknown): boolean;
export function parseIp(text: string): { v: 4 | 6; n: bigint } | undefined;
export function inCidr(ip: { v: 4 | 6; n: bigint }, cidr: string): boolean;
