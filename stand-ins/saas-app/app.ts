import { Router, type Express } from 'express';
import type { Logger } from '../../lib/logger.js';
import { ControlState, BaseControl, DEFAULT_BASE_CONTROL } from '../common/control.js';
import { Ledger } from '../common/ledger.js';
import { createStandInApp } from '../common/stand-in-app.js';
import type { SaasLedgerKind } from './ledger-kinds.js';
import { pageHeaders } from './page-headers.js';
import { Sessions } from './sessions.js';
import { ssoLandingHandler } from './sso-landing.js';
import { createUdiClient } from './udi-client.js';
import { homeHandler, workspaceHandler } from './workspace.js';

export interface SaasAppDeps {
  logger: Logger;
  /** Base URL of Udi, whose /sso/exchange redeems the tokens. */
  udiUrl: string;
  /** How long to wait for Udi, in ms. Default 5000. */
  udiTimeoutMs?: number;
  /** Mark the session cookie Secure. Default false. */
  secureCookie?: boolean;
  /** Initial control state; unset fields take the defaults (no latency, no errors, up). */
  control?: Partial<BaseControl>;
  random?: () => number;
}

/** The stand-in for the SaaS app the shopper bought: the SSO landing and a signed-in page. */
export function createSaasApp(deps: SaasAppDeps): Express {
  const logger = deps.logger;
  const ledger = new Ledger<SaasLedgerKind>();
  const control = new ControlState(BaseControl.partial().strict(), { ...DEFAULT_BASE_CONTROL, ...deps.control });
  const sessions = new Sessions();
  const udi = createUdiClient({ baseUrl: deps.udiUrl, timeoutMs: deps.udiTimeoutMs ?? 5_000 });

  const routes = Router();
  routes.use(pageHeaders);
  routes.post('/sso', ssoLandingHandler({ udi, sessions, ledger, logger, secureCookie: deps.secureCookie ?? false }));
  routes.get('/app', workspaceHandler(sessions));
  routes.get('/', homeHandler(sessions));

  return createStandInApp({ name: 'SaaS app', logger, ledger, control, routes, forms: true, random: deps.random });
}
