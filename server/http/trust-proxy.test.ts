import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileTrustProxy, envTrustProxy } from './trust-proxy.js';

const setting = (value: string | undefined) => envTrustProxy.parse(value);
const refusal = (value: string) => (envTrustProxy.safeParse(value).error as z.ZodError).issues.map((issue) => issue.message);

/** A request as the BFF receives it from `peer`, carrying `forwardedFor`. */
const request = (peer: string, forwardedFor: string) =>
  ({ socket: { remoteAddress: peer }, headers: { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage;
const clientOf = (value: string, peer: string, forwardedFor: string) => proxyaddr(request(peer, forwardedFor), compileTrustProxy(setting(value)));

describe('TRUST_PROXY', () => {
  it('is loopback when unset, a hop count when a number, and else a list of addresses and CIDRs', () => {
    expect(setting(undefined)).toEqual(['loopback']);
    expect(setting('1')).toBe(1);
    expect(setting('0')).toBe(0);
    expect(setting('10.0.3.7, 10.0.4.0/24,2001:db8::/48, loopback')).toEqual(['10.0.3.7', '10.0.4.0/24', '2001:db8::/48', 'loopback']);
  });

  it.each(['uniquelocal', 'loopback,uniquelocal', 'linklocal'])('refuses the private ranges by name (%s), saying why and what to give instead', (value) => {
    const [message] = refusal(value);
    expect(message).toMatch(/^(uniquelocal|linklocal) trusts every private address, so a client names its own address .*SNAT.*number of proxies/);
  });

  it.each(['true', '1,loopback', '10.0.0.0/33', '10.0.0.1/8/8', 'lb.internal', ' , '])(
    'refuses what is not an address, a CIDR, loopback or a lone count (%j)',
    (value) => {
      expect(refusal(value)).toHaveLength(1);
    },
  );

  it('with one hop trusted, a client is the address the load balancer was reached from, whatever it wrote before it', () => {
    expect(clientOf('1', '10.0.3.7', '198.51.100.7, 10.244.0.1')).toBe('10.244.0.1');
    expect(clientOf('1', '10.0.3.7', '198.51.100.7')).toBe('198.51.100.7');
    expect(clientOf('2', '10.0.3.7', '198.51.100.7, 10.244.0.1')).toBe('198.51.100.7');
    expect(clientOf('0', '10.0.3.7', '198.51.100.7')).toBe('10.0.3.7');
  });

  it("with the load balancer's own addresses trusted, a private hop before it is the client", () => {
    expect(clientOf('10.0.3.0/24', '10.0.3.7', '198.51.100.7, 10.244.0.1')).toBe('10.244.0.1');
    expect(clientOf('10.0.3.0/24', '10.0.3.7', '198.51.100.7')).toBe('198.51.100.7');
    // Not from the load balancer: nothing it wrote is believed.
    expect(clientOf('10.0.3.0/24', '10.9.9.9', '198.51.100.7')).toBe('10.9.9.9');
  });
});
