import { describe, expect, it } from 'vitest';
import { newClusterId } from './kafka-storage.js';

describe('a new Kafka cluster id', () => {
  it('is 16 bytes in URL-safe base64, as Kafka prints a Uuid', () => {
    expect(newClusterId()).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });

  it('never starts with "-", which the storage tool would take for an option', () => {
    // 0xf8 encodes as "-" first in URL-safe base64.
    const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x01)];
    const id = newClusterId(() => draws.shift()!);
    expect(id.startsWith('-')).toBe(false);
    expect(draws).toHaveLength(0);
  });
});
