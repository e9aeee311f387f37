import { logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkajsLogLevel } from './kafkajs-log-level.js';

describe('the level of a kafkajs log entry', () => {
  it('is info for a failed response kafkajs retries by itself', () => {
    expect(
      kafkajsLogLevel(logLevel.ERROR, { message: 'Response Heartbeat(key: 12, version: 3)', error: 'The group is rebalancing, so a rejoin is needed' }),
    ).toBe('info');
    expect(
      kafkajsLogLevel(logLevel.ERROR, {
        message: 'Response InitProducerId(key: 22, version: 1)',
        error: "The coordinator is loading and hence can't process requests for this group",
      }),
    ).toBe('info');
  });

  it('is info for a commit or heartbeat that meets a rebalance, or a member the group dropped, which rejoin', () => {
    expect(kafkajsLogLevel(logLevel.ERROR, { message: 'Response OffsetCommit(key: 8, version: 5)', error: 'Specified group generation id is not valid' })).toBe(
      'info',
    );
    expect(kafkajsLogLevel(logLevel.ERROR, { message: 'Response Heartbeat(key: 12, version: 3)', error: 'The coordinator is not aware of this member' })).toBe(
      'info',
    );
  });

  it('is warn when kafkajs puts a member the group dropped back into it', () => {
    expect(
      kafkajsLogLevel(logLevel.ERROR, {
        message: 'The coordinator is not aware of this member, re-joining the group',
        error: 'The coordinator is not aware of this member',
      }),
    ).toBe('warn');
  });

  it('stays error for a response that is not retried, and for everything else', () => {
    expect(kafkajsLogLevel(logLevel.ERROR, { message: 'Response Produce(key: 0, version: 7)', error: 'Topic authorization failed' })).toBe('error');
    expect(
      kafkajsLogLevel(logLevel.ERROR, { message: 'Crash: KafkaJSNumberOfRetriesExceeded', error: 'The group is rebalancing, so a rejoin is needed' }),
    ).toBe('error');
    expect(kafkajsLogLevel(logLevel.WARN, { message: 'The group is rebalancing, re-joining' })).toBe('warn');
  });
});
