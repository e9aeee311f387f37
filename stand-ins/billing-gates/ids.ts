import { randomBytes } from 'node:crypto';

/** An id in Billing Gates' style, e.g. `ch_3f9a…` for a charge and `re_…` for a refund. */
export function newId(prefix: 'ch' | 're'): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}
