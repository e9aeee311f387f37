/** Names of fields whose values are never printed: the sealed SSO token, payment method tokens. */
const SECRET_FIELD = /token$/i;

/** A value's stand-in: says that something was there, and how long, but not what. */
function masked(value: string): string {
  return `[masked, ${value.length} characters]`;
}

/** The JSON value with every string under a `…token` field masked, at any depth. */
export function maskJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskJson);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, field]) => [name, SECRET_FIELD.test(name) && typeof field === 'string' ? masked(field) : maskJson(field)]),
  );
}

/**
 * A record's value for printing: parsed JSON with its tokens masked, or, for a value that is not
 * JSON (a poison record), its text with anything that looks like a token field masked.
 */
export function maskedValue(value: string | null): unknown {
  if (value === null) return null;
  try {
    return maskJson(JSON.parse(value));
  } catch {
    return value.replace(/("\w*token"\s*:\s*")([^"]*)/gi, (_, field: string, secret: string) => `${field}${masked(secret)}`);
  }
}
