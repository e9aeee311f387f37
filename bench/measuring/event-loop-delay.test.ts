import { describe, expect, it } from 'vitest';
import { eventLoopDelays, parseEventLoopDelay } from './event-loop-delay.js';

/** prom-client's event-loop lines on a /metrics, in seconds. */
const metrics = (p99: string) => `# HELP nodejs_eventloop_lag_seconds Lag of event loop in seconds.
# TYPE nodejs_eventloop_lag_seconds gauge
nodejs_eventloop_lag_seconds{role="bff"} 0.004
nodejs_eventloop_lag_min_seconds{role="bff"} 0.010027008
nodejs_eventloop_lag_max_seconds{role="bff"} 0.087162879
nodejs_eventloop_lag_mean_seconds{role="bff"} 0.011903452
nodejs_eventloop_lag_stddev_seconds{role="bff"} 0.0042
nodejs_eventloop_lag_p50_seconds{role="bff"} 0.010182655
nodejs_eventloop_lag_p90_seconds{role="bff"} 0.013443071
nodejs_eventloop_lag_p99_seconds{role="bff"} ${p99}
payflow_sockets_connected{role="bff"} 3
`;

describe('event-loop delay', () => {
  it('reads the histogram figures of a /metrics text in ms, to 10 µs', () => {
    expect(parseEventLoopDelay('bff', metrics('0.031981567'))).toEqual({ process: 'bff', p50: 10.18, p90: 13.44, p99: 31.98, max: 87.16, mean: 11.9 });
  });

  it('gives no figure when one is missing or not a number', () => {
    expect(parseEventLoopDelay('bff', 'payflow_sockets_connected 3\n')).toBeNull();
    expect(parseEventLoopDelay('bff', metrics('NaN'))).toBeNull();
  });

  it('takes each process that has the figures, by name', () => {
    expect(eventLoopDelays({ 'bff-1': metrics('0.02'), 'bff-2': metrics('0.03'), 'billing-worker': '' }).map((d) => [d.process, d.p99])).toEqual([
      ['bff-1', 20],
      ['bff-2', 30],
    ]);
  });
});
