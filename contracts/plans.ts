import { z } from 'zod';
import { Money } from './money.js';

export const Plan = z.object({ id: z.string(), name: z.string(), amount: Money });
export type Plan = z.infer<typeof Plan>;

/** The plans on sale. A payment's planId and amount must match one of them. */
export const PLANS: readonly Plan[] = [
  { id: 'starter', name: 'Starter', amount: { value: 900, currency: 'EUR' } },
  { id: 'team', name: 'Team', amount: { value: 2900, currency: 'EUR' } },
  { id: 'business', name: 'Business', amount: { value: 9900, currency: 'EUR' } },
];

export function findPlan(planId: string): Plan | undefined {
  return PLANS.find((plan) => plan.id === planId);
}
