/**
 * How long a process may take to stop after SIGTERM or SIGINT before runMain exits anyway (exit
 * 1). The orchestrators allow it: `npm start` and docker's default SIGKILL after 10 s, Kubernetes
 * after the pods' terminationGracePeriodSeconds. A process' own stop must fit in it with margin,
 * or its last writes (offsets, history) are cut off: server/stop-budget.ts does the sums for the BFF.
 */
export const STOP_LIMIT_MS = 10_000;
