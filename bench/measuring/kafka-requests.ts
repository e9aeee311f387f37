/** One line of payflow_kafka_requests_total: a process's requests of one client kind to one Kafka API so far. */
export interface KafkaRequestCount {
  process: string;
  client: string;
  api: string;
  count: number;
}

/** Requests per signed-in payment of one process, by Kafka API; `total` sums them. */
export interface KafkaRequestsPerPayment {
  process: string;
  byApi: Record<string, number>;
  total: number;
}

const LINE = /^payflow_kafka_requests_total\{([^}]*)\}\s+(\S+)/;
const LABEL = /(\w+)="([^"]*)"/g;

/** The request counts in a process's /metrics text. */
export function parseKafkaRequests(process: string, metricsText: string): KafkaRequestCount[] {
  return metricsText.split('\n').flatMap((line): KafkaRequestCount[] => {
    const match = LINE.exec(line);
    if (match === null) return [];
    const labels = new Map([...match[1]!.matchAll(LABEL)].map(([, key, value]) => [key ?? '', value ?? '']));
    const client = labels.get('client');
    const api = labels.get('api');
    const count = Number(match[2]);
    return client === undefined || api === undefined || !Number.isFinite(count) ? [] : [{ process, client, api, count }];
  });
}

/**
 * Requests sent during the window, per payment signed in, by process and API. Producer and
 * consumer requests only: the admin client's requests are the consumer-lag gauge answering the
 * bench's own scrapes of /metrics.
 */
export function kafkaRequestsPerPayment(start: KafkaRequestCount[], end: KafkaRequestCount[], payments: number): KafkaRequestsPerPayment[] {
  const key = (c: KafkaRequestCount) => `${c.process}|${c.client}|${c.api}`;
  const before = new Map(start.map((c) => [key(c), c.count]));
  const byProcess = new Map<string, KafkaRequestsPerPayment>();
  for (const c of end) {
    if (c.client === 'admin' || payments === 0) continue;
    const sent = c.count - (before.get(key(c)) ?? 0);
    if (sent <= 0) continue;
    const entry = byProcess.get(c.process) ?? { process: c.process, byApi: {}, total: 0 };
    entry.byApi[c.api] = (entry.byApi[c.api] ?? 0) + sent / payments;
    entry.total += sent / payments;
    byProcess.set(c.process, entry);
  }
  const round2 = (n: number) => Math.round(n * 100) / 100;
  return [...byProcess.values()].map((e) => ({
    process: e.process,
    total: round2(e.total),
    byApi: Object.fromEntries(Object.entries(e.byApi).map(([api, n]) => [api, round2(n)])),
  }));
}

/** The counts in each process's /metrics text, by process name. */
export function kafkaRequestsIn(metricsTexts: Record<string, string>): KafkaRequestCount[] {
  return Object.entries(metricsTexts).flatMap(([process, text]) => parseKafkaRequests(process, text));
}
