/** The rate limits count per calendar minute: start a counting test early in one, so it cannot roll over mid-test. */
export async function startOfFreshMinute(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 40_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 100));
}
