import { describe, expect, it } from 'vitest';
import { STATUS_NAMES } from '../../../contracts/lifecycle.js';
import { badgeClasses, boardStages } from './status-look.js';

describe("how each status looks on the operators' pages", () => {
  it('gives every status one stage on the board: the way to confirmed along the top, the other ends below', () => {
    const { through, otherEnds } = boardStages();
    expect(through.map((stage) => stage.title)).toEqual(['Accepted', 'Waiting for the shopper', 'Charged', 'Confirmed']);
    expect(otherEnds.map((stage) => stage.title)).toEqual(['Declined', 'Refunded', 'Refund failed']);
    expect([...through, ...otherEnds].map((stage) => stage.status).sort()).toEqual([...STATUS_NAMES].sort());
  });

  it('marks the ends and their tone, and a status an operator must act on', () => {
    const stages = Object.fromEntries([...boardStages().through, ...boardStages().otherEnds].map((stage) => [stage.status, stage.classes]));
    expect(stages).toEqual({
      processing: ['stage', 'tone-plain'],
      requires_action: ['stage', 'tone-plain'],
      paid: ['stage', 'tone-plain'],
      confirmed: ['stage', 'terminal', 'tone-ok'],
      failed: ['stage', 'terminal', 'tone-bad'],
      refunded: ['stage', 'terminal', 'tone-bad'],
      refund_failed: ['stage', 'terminal', 'tone-bad', 'must-act'],
    });
    expect(badgeClasses('refund_failed')).toBe('badge tone-bad must-act');
    expect(badgeClasses('confirmed')).toBe('badge tone-ok');
  });
});
