import { compareAccounts } from '../core/tenant/account-order.js';
import type { AccountResult } from '../core/tenant/types.js';

/** The accounts in the one account order (compareAccounts), as a new array: every format lists them alike. */
export function sortAccounts(accounts: readonly AccountResult[]): AccountResult[] {
  return [...accounts].sort(compareAccounts);
}
