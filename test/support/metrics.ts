/**
 * The sum of a Prometheus metric's samples at `${url}/metrics`, over the label sets that have
 * every label in `labels` (all of them when it is empty).
 */
export async function metricSum(url: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const wanted = Object.entries(labels).map(([label, value]) => `${label}="${value}"`);
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => {
      const labelSet = /^[^{ ]*\{(.*)\}/.exec(line)?.[1]?.split(',') ?? [];
      return wanted.every((pair) => labelSet.includes(pair));
    })
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}
