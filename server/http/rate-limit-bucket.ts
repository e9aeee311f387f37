import { isIPv4, isIPv6 } from 'node:net';

/**
 * The counter a client address is limited under, the same for POST /api/payments and the socket
 * handshake. An IPv4 address is its own. An IPv6 subscriber is usually given a whole /64 (RFC
 * 6177; SLAAC needs one) and can take a new address from it for every request, so IPv6 addresses
 * count by their /64. An IPv4-mapped IPv6 address (`::ffff:198.51.100.7`, as a dual-stack socket
 * names an IPv4 peer) is that IPv4 address, so both spellings share a counter. Anything else
 * (no address known) is counted as it is.
 */
export function rateLimitBucket(address: string): string {
  if (isIPv4(address)) return address;
  const groups = ipv6Groups(address);
  if (groups === undefined) return address;
  const [, , , , , mapped = 0, high = 0, low = 0] = groups;
  if (groups.slice(0, 5).every((group) => group === 0) && mapped === 0xffff) return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address (its zone dropped), or undefined when it is not one. */
function ipv6Groups(address: string): number[] | undefined {
  const [plain = ''] = address.split('%');
  if (!isIPv6(plain)) return undefined;
  // A dotted IPv4 tail (`::ffff:198.51.100.7`) is the last two groups.
  const hex = plain.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_tail, a: string, b: string, c: string, d: string) =>
    [(Number(a) << 8) | Number(b), (Number(c) << 8) | Number(d)].map((group) => group.toString(16)).join(':'),
  );
  const [front, back] = hex.split('::').map((part) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16))));
  if (back === undefined) return front;
  return [...(front ?? []), ...Array<number>(8 - (front?.length ?? 0) - back.length).fill(0), ...back];
}
