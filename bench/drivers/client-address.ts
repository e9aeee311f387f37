/**
 * The address a shopper says it comes from (X-Forwarded-For) when the bench drives a deployment
 * it did not start. Every shopper of the bench comes from 127.0.0.1, and the BFF limits payments
 * and socket handshakes per client address (60 and 120 a minute unless configured): at 200/s
 * nearly every shopper would be refused with 429. The BFF believes the X-Forwarded-For of a
 * trusted proxy, loopback by default (TRUST_PROXY), which is how the design lets load from one
 * machine stand for many shoppers. The addresses are those of 198.18.0.0/15, set aside for
 * benchmarks (RFC 2544), one per shopper in turn: an address comes back only after 131,070 others,
 * so no limit's one-minute window sees it twice below 2,000 shoppers/s.
 */
const FIRST = 198 * 2 ** 24 + 18 * 2 ** 16;
/** The /15 without its first and last address. */
const HOSTS = 2 ** 17 - 2;

export function shopperAddress(index: number): string {
  const address = FIRST + 1 + (index % HOSTS);
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}
