/** A process's /metrics text, or null when it does not answer (within 5 s) or answers with an error. */
export async function scrapeMetrics(url: string): Promise<string | null> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return response.ok ? await response.text() : null;
  } catch {
    return null;
  }
}
