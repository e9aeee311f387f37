import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as text, or undefined when it could not be read: see `unreadable`. */
  text: string | undefined;
  /** Why `text` is undefined: the body broke off (the connection broke), or it was longer than `maxBodyBytes`. */
  unreadable?: 'cut-off' | 'too-large';
}

export interface HttpCall {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string | undefined;
  signal: AbortSignal;
  /** The longest body read; a longer one is not read on, and its connection is closed. */
  maxBodyBytes: number;
}

/**
 * One HTTP request over a kept-alive connection, its answer read whole as text. node:http and
 * not fetch: on Node 20, fetch (undici through web streams) cost the workers more CPU per call
 * than the rest of a step's work (npm run bench -- --cpu-prof, in the commit that made this).
 * Rejects when no answer arrives (refused, reset, aborted by `signal`); an answer whose body
 * breaks off, or runs past `maxBodyBytes`, resolves with `text` undefined, for the caller to judge.
 */
export function httpCall(call: HttpCall): Promise<HttpAnswer> {
  const https = call.url.protocol === 'https:';
  const send = https ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(call.url, { method: call.method, headers: call.headers, signal: call.signal, agent: https ? httpsAgent : httpAgent }, (response) => {
      readText(response, call.maxBodyBytes).then((body) => resolve({ status: response.statusCode ?? 0, headers: response.headers, ...body }), reject);
    });
    request.on('error', reject);
    request.end(call.body);
  });
}

/** One pool of kept-alive connections per process and protocol, as fetch had. */
const httpAgent = new HttpAgent({ keepAlive: true });
const httpsAgent = new HttpsAgent({ keepAlive: true });

/**
 * Reads the body up to `maxBytes`. A longer one (declared, or found while reading) is dropped with
 * its connection at once: read whole, a service answering without end would fill the memory.
 */
function readText(response: IncomingMessage, maxBytes: number): Promise<Pick<HttpAnswer, 'text' | 'unreadable'>> {
  return new Promise((resolve) => {
    // Settled before the destroy, whose 'aborted' would say "cut off".
    const tooLarge = () => {
      resolve({ text: undefined, unreadable: 'too-large' });
      response.destroy();
    };
    if (Number(response.headers['content-length'] ?? 0) > maxBytes) {
      tooLarge();
      return;
    }
    const chunks: Buffer[] = [];
    let length = 0;
    response.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > maxBytes) tooLarge();
      else chunks.push(chunk);
    });
    response.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8') }));
    // A body cut off mid-way (the connection reset, or the call aborted while reading).
    response.on('error', () => resolve({ text: undefined, unreadable: 'cut-off' }));
    response.on('aborted', () => resolve({ text: undefined, unreadable: 'cut-off' }));
  });
}
