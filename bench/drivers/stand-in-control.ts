/**
 * Changes a stand-in's behaviour while it runs (POST /__control, stand-ins/common/control.ts):
 * Billing Gates down, or given a capacity, for a scenario's window.
 */
export async function setControl(url: string, control: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${url}/__control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(control) });
  if (!response.ok) throw new Error(`${url}/__control answered ${response.status}`);
  await response.body?.cancel();
}
