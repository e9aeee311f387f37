import { describe, expect, it } from 'vitest';
import { judgeRedisDurability, redisDurabilityMode } from './redis-durability.js';

const kept = { maxmemoryPolicy: 'noeviction', appendonly: 'yes', save: '' };

describe('judgeRedisDurability', () => {
  it('starts on a Redis that evicts nothing and persists with AOF or with RDB save points', () => {
    expect(judgeRedisDurability(kept, 'enforce')).toEqual({ action: 'start' });
    expect(judgeRedisDurability({ ...kept, appendonly: 'no', save: '3600 1 300 100' }, 'enforce')).toEqual({ action: 'start' });
  });

  it('refuses an evicting policy when enforcing, with one line naming maxmemory-policy and the way out', () => {
    const decision = judgeRedisDurability({ ...kept, maxmemoryPolicy: 'volatile-lru' }, 'enforce');
    expect(decision.action).toBe('refuse');
    const line = 'line' in decision ? decision.line : '';
    expect(line).not.toContain('\n');
    expect(line).toMatch(
      /^Redis may lose payments' keys: maxmemory-policy is volatile-lru, .*\(set maxmemory-policy noeviction\)\. Not starting: REDIS_DURABILITY_CHECK=enforce/,
    );
  });

  it('only warns of the same when not enforcing', () => {
    expect(judgeRedisDurability({ ...kept, maxmemoryPolicy: 'allkeys-lru' }, 'warn')).toEqual({
      action: 'warn',
      line: "Redis may lose payments' keys: maxmemory-policy is allkeys-lru, so Redis drops keys when its memory is full (set maxmemory-policy noeviction)",
    });
  });

  it('names both problems of a Redis that evicts and keeps nothing across a restart', () => {
    const decision = judgeRedisDurability({ maxmemoryPolicy: 'volatile-ttl', appendonly: 'no', save: ' ' }, 'enforce');
    expect('line' in decision && decision.line).toMatch(/maxmemory-policy is volatile-ttl.*; appendonly is no and there are no RDB save points/);
  });

  it('only warns when Redis does not let its settings be read (a managed service refusing CONFIG), even when enforcing', () => {
    const decision = judgeRedisDurability({ unreadable: "CONFIG GET: ERR unknown command 'CONFIG'" }, 'enforce');
    expect(decision.action).toBe('warn');
    expect('line' in decision && decision.line).toMatch(
      /^could not read Redis' maxmemory-policy, appendonly and save \(CONFIG GET: ERR unknown command 'CONFIG'\); make sure/,
    );
  });
});

describe('redisDurabilityMode', () => {
  it('enforces in production and warns elsewhere, unless REDIS_DURABILITY_CHECK says otherwise', () => {
    expect(redisDurabilityMode({ NODE_ENV: 'production' })).toBe('enforce');
    expect(redisDurabilityMode({})).toBe('warn');
    expect(redisDurabilityMode({ NODE_ENV: 'production', REDIS_DURABILITY_CHECK: 'warn' })).toBe('warn');
    expect(redisDurabilityMode({ REDIS_DURABILITY_CHECK: 'enforce' })).toBe('enforce');
  });
});
