/** Where the tests find the system: variables set by the global setup, or by whoever runs one. */

export interface SystemUrls {
  bff: string;
  billingGates: string;
  udi: string;
  saasApp: string;
  /** The system's Redis, for the flows that lose a key on purpose as an eviction would (tagged @stand-ins). */
  redis: string;
}

export const URL_VARIABLES: Record<keyof SystemUrls, string> = {
  bff: 'PAYFLOW_BFF_URL',
  billingGates: 'PAYFLOW_BILLING_GATES_URL',
  udi: 'PAYFLOW_UDI_URL',
  saasApp: 'PAYFLOW_SAAS_APP_URL',
  redis: 'PAYFLOW_REDIS_URL',
};

const DEFAULTS: SystemUrls = {
  bff: 'http://127.0.0.1:3000',
  billingGates: 'http://127.0.0.1:4001',
  udi: 'http://127.0.0.1:4002',
  saasApp: 'http://127.0.0.1:4003',
  redis: 'redis://127.0.0.1:6379',
};

export function systemUrls(env: NodeJS.ProcessEnv = process.env): SystemUrls {
  return {
    bff: env[URL_VARIABLES.bff] ?? DEFAULTS.bff,
    billingGates: env[URL_VARIABLES.billingGates] ?? DEFAULTS.billingGates,
    udi: env[URL_VARIABLES.udi] ?? DEFAULTS.udi,
    saasApp: env[URL_VARIABLES.saasApp] ?? DEFAULTS.saasApp,
    redis: env[URL_VARIABLES.redis] ?? DEFAULTS.redis,
  };
}
