/** A process's /metrics text, or null when it does not answer (within 5 s) or answers with an error. */
export async function scrapeMetrics(url: string): Promise<string | null> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return response.ok ? await response.text() : null;
  } catch {
    return null;
  }
}

/**
 * Every process's /metrics text, by process name; one that does not answer is left out. Read once
 * at each end of a run and parsed for every figure: a scrape resets the process's event-loop
 * delay histogram (bench/measuring/event-loop-delay.ts), so a second scrape would find it nearly empty.
 */
export async function scrapeEach(urls: Record<string, string>): Promise<Record<string, string>> {
  const read = async ([process, url]: [string, string]) => {
    const text = await scrapeMetrics(url);
    return text === null ? [] : [[process, text] as const];
  };
  return Object.fromEntries((await Promise.all(Object.entries(urls).map(read))).flat());
}
