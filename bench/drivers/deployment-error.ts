import { BenchError } from '../bench-error.js';

/** Why a deployment started elsewhere (`--against`) cannot be measured as it stands. */
export type DeploymentErrorCode = 'DEPLOYMENT_NOT_READY' | 'DEPLOYMENT_UDI_UNREACHABLE' | 'DEPLOYMENT_PID_MISSING' | 'SHOPPERS_RATE_LIMITED';

/** A problem with the deployment, or with how it was started, that a person fixes. */
export class DeploymentError extends BenchError<DeploymentErrorCode> {}
