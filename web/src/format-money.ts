import type { Money } from '../../contracts/money.js';

/** "€29.00" for `{ value: 2900, currency: 'EUR' }`: minor units scaled by the currency's own digits. */
export function formatMoney({ value, currency }: Money): string {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(value / 10 ** digits);
}
