import { randomBytes } from 'node:crypto';

/** An id in Billing Gates' style, e.g. `ch_3f9a…` for a charge, `re_…` for a refund, `chl_…` for a challenge and `evt_…` for a webhook event. */
export function newId(prefix: 'ch' | 're' | 'chl' | 'evt'): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}
