export * from './topics.js';
export * from './money.js';
export * from './plans.js';
export * from './reason.js';
export * from './events.js';
export * from './new-event.js';
export * from './event-codec.js';
export * from './payment-status.js';
