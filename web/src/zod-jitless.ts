/**
 * Imported first by a page's entry module, before any schema is defined. zod compiles a faster
 * parser for each z.object unless told not to, and tests whether it may by calling `new Function`
 * when the schema is made; under the pages' `script-src 'self'` that call is refused and Chromium
 * reports it as a content security violation, though zod catches the error. The pages parse only a
 * few small answers, so the compiled parsers buy nothing.
 */
import { config } from 'zod';

config({ jitless: true });
