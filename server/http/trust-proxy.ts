import { isIP } from 'node:net';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';

/**
 * TRUST_PROXY: which hops' X-Forwarded-For the BFF believes, so that the per-client limits count
 * a shopper by its own address rather than the load balancer's. Either a hop count (the number of
 * proxies in front of the BFF that each append the address they were reached from, `1` for one
 * load balancer), or the load balancers' own addresses and CIDRs, and `loopback`.
 */
export type TrustProxySetting = number | string[];

/** The decision itself, compiled once: Express (req.ip) and the socket handshake ask the same one. */
export type TrustProxy = (address: string, hop: number) => boolean;

const HOW = "give the number of proxies in front of the BFF (e.g. 1) or the load balancers' own addresses or CIDRs";

/**
 * `uniquelocal` and `linklocal` name whole private ranges, and not every private address is a
 * proxy: a node's SNAT, a NAT gateway or Docker's port forwarding passes a request on without
 * appending to X-Forwarded-For. The load balancer then appends that private address, which the
 * range trusts too, and the next address to the left is whatever the client wrote: every request
 * another client of its own choosing, so no per-client limit holds. Refused, with the way out.
 */
const PRIVATE_RANGES = new Set(['uniquelocal', 'linklocal']);

/** Why one entry of an address list is refused, or undefined when proxy-addr may trust it. */
function refusal(entry: string): string | undefined {
  if (PRIVATE_RANGES.has(entry)) {
    return `${entry} trusts every private address, so a client names its own address through any private hop that appends nothing (a SNAT); ${HOW}`;
  }
  if (entry === 'loopback') return undefined;
  const [address = '', bits, ...rest] = entry.split('/');
  const width = isIP(address) === 4 ? 32 : isIP(address) === 6 ? 128 : 0;
  const prefixOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= width);
  if (width > 0 && prefixOk && rest.length === 0) return undefined;
  return `"${entry}" is not an IP address, a CIDR or loopback; ${HOW}`;
}

export const envTrustProxy = z
  .string()
  .default('loopback')
  .transform((value, ctx): TrustProxySetting => {
    if (/^\s*\d+\s*$/.test(value)) return Number(value);
    const entries = value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    const problem = entries.length === 0 ? `nothing to trust; ${HOW}` : entries.map(refusal).find((reason) => reason !== undefined);
    if (problem === undefined) return entries;
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  });

/** As Express compiles its `trust proxy` setting: a count trusts the hops nearest the BFF (hop 0 is the connection's own peer). */
export function compileTrustProxy(setting: TrustProxySetting): TrustProxy {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : proxyaddr.compile(setting);
}
