import type { FlowName } from '../options.js';

const FLOW_NAMES: Record<FlowName, string> = { async: 'improved (Kafka)', sync: 'current (synchronous)' };

/** How the tables and charts name a flow. */
export const flowName = (flow: FlowName) => FLOW_NAMES[flow];

/** How the charts colour a flow: green the improved one, red the current one. */
export const FLOW_COLORS: Record<FlowName, string> = { async: '#1b7f3b', sync: '#b3261e' };
