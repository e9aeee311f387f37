import { fileURLToPath } from 'node:url';

/** The log4j2 configuration every Kafka JVM here runs with: without a logging backend the broker logs nothing useful. */
export const LOG4J_CONFIG = fileURLToPath(new URL('./log4j2.properties', import.meta.url));
