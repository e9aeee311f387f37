import { describe, expect, it } from 'vitest';
import { REPLAY_GROUP_HEADER } from './dead-letter.js';
import { replayMeantForAnotherGroup } from './replay-target.js';

describe('replayMeantForAnotherGroup', () => {
  it('when a record carries no replay group, every group handles it', () => {
    expect(replayMeantForAnotherGroup({ 'event-type': 'PaymentSucceeded' }, 'payflow-order-worker')).toBeUndefined();
    expect(replayMeantForAnotherGroup(undefined, 'payflow-order-worker')).toBeUndefined();
  });

  it('when a replay names this group, this group handles it', () => {
    expect(replayMeantForAnotherGroup({ [REPLAY_GROUP_HEADER]: Buffer.from('payflow-bff-status') }, 'payflow-bff-status')).toBeUndefined();
  });

  it('when a replay names another group, it names that group, so this one passes the record over', () => {
    expect(replayMeantForAnotherGroup({ [REPLAY_GROUP_HEADER]: Buffer.from('payflow-bff-status') }, 'payflow-order-worker')).toBe('payflow-bff-status');
  });

  it('when the prefix differs, the group is another one', () => {
    expect(replayMeantForAnotherGroup({ [REPLAY_GROUP_HEADER]: 'a.payflow-order-worker' }, 'b.payflow-order-worker')).toBe('a.payflow-order-worker');
  });
});
