export interface PayflowErrorOptions {
  /** Whether the same work, tried again unchanged, may succeed: a downstream away may come back, a declined card stays declined. */
  retryable: boolean;
  /** The error this one was made from, when it explains it (a library's error, a downstream's refusal). */
  cause?: unknown;
}

/**
 * The base of every error payflow throws for a reason it knows. Whether to retry is decided where
 * the failure is understood (the HTTP client knows a 503 from a 402, the codec a poison record),
 * so code that handles failures asks the error (`retryable`, `isPermanent`) instead of listing
 * classes: the event consumer dead-letters a record whose error says retrying cannot help and
 * retries everything else. The code is stable and SCREAMING_SNAKE (CONFIG_INVALID, POISON_RECORD):
 * what programs, alerts and `npm run dlq --error-code` match on; the message is the sentence a
 * person acts on.
 *
 * It lives in contracts/ and imports nothing because both sides extend it: the web page's
 * errors (bundled for the browser) and the codec's poison record as well as the processes'.
 */
export abstract class PayflowError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly retryable: boolean;

  constructor(code: Code, message: string, { retryable, cause }: PayflowErrorOptions) {
    // Only a cause given is kept: `{ cause: undefined }` would still add the property, and show in logs.
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = retryable;
  }
}

/**
 * Whether trying again cannot help: true only for a PayflowError that says so. Any other error (a
 * library's timeout, a refused connection, a bug) is taken as one that may pass on another try, as
 * the event consumer always has: a record goes to the dead-letter topic only on a failure someone
 * declared permanent.
 */
export function isPermanent(err: unknown): err is PayflowError {
  return err instanceof PayflowError && !err.retryable;
}
