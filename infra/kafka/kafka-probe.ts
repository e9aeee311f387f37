import type { Logger } from '../../lib/logger.js';
import { createKafka } from '../../lib/kafka.js';
import { isPortOpen } from '../port-open.js';

/**
 * True when a Kafka broker answers a metadata request at `broker` (host:port). An open port is
 * not enough: the broker accepts connections before it can serve requests.
 */
export async function kafkaAnswers(broker: string, log: Logger): Promise<boolean> {
  const [host = '127.0.0.1', port = '0'] = broker.split(':');
  if (!(await isPortOpen(host, Number(port)))) return false;
  return (await clusterBrokerCount([broker], log)) > 0;
}

/**
 * True when a broker that answers also serves consumer groups and idempotent producers. A fresh
 * broker answers metadata requests a second or two before its group and producer-id coordinators
 * are loaded; processes started in that gap log errors and tests lose their first seconds.
 */
export async function kafkaServesClients(brokers: string[], log: Logger): Promise<boolean> {
  const kafka = quietKafka(brokers, log);
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  try {
    await admin.connect();
    await admin.describeGroups(['payflow-readiness']); // finds (so loads) the group coordinator
    await producer.connect(); // InitProducerId
    return true;
  } catch {
    return false;
  } finally {
    await producer.disconnect().catch(() => {});
    await admin.disconnect().catch(() => {});
  }
}

/**
 * How many brokers the cluster at `brokers` has registered (0 when none answers). A broker joins
 * the list once the controller quorum has a leader and has accepted its registration.
 */
export async function clusterBrokerCount(brokers: string[], log: Logger): Promise<number> {
  const admin = quietKafka(brokers, log).admin();
  try {
    await admin.connect();
    return (await admin.describeCluster()).brokers.length;
  } catch {
    return 0;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** "Not yet" is the expected answer while waiting; kafkajs would log it as an error. */
function quietKafka(brokers: string[], log: Logger) {
  return createKafka({ clientId: 'payflow-probe', brokers, logger: log.child({}, { level: 'silent' }) });
}
