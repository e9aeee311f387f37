import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as text, or undefined when it could not be read to its end (the connection broke). */
  text: string | undefined;
}

export interface HttpCall {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string | undefined;
  signal: AbortSignal;
}

/**
 * One HTTP request over a kept-alive connection, its answer read whole as text. node:http and
 * not fetch: on Node 20, fetch (undici through web streams) cost the workers more CPU per call
 * than the rest of a step's work (npm run bench -- --cpu-prof, in the commit that made this).
 * Rejects when no answer arrives (refused, reset, aborted by `signal`); an answer whose body
 * breaks off resolves with `text` undefined, for the caller to judge.
 */
export function httpCall(call: HttpCall): Promise<HttpAnswer> {
  const https = call.url.protocol === 'https:';
  const send = https ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(call.url, { method: call.method, headers: call.headers, signal: call.signal, agent: https ? httpsAgent : httpAgent }, (response) => {
      readText(response).then((text) => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }), reject);
    });
    request.on('error', reject);
    request.end(call.body);
  });
}

/** One pool of kept-alive connections per process and protocol, as fetch had. */
const httpAgent = new HttpAgent({ keepAlive: true });
const httpsAgent = new HttpsAgent({ keepAlive: true });

function readText(response: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    // A body cut off mid-way (the connection reset, or the call aborted while reading).
    response.on('error', () => resolve(undefined));
    response.on('aborted', () => resolve(undefined));
  });
}
