/** Total requests the fakes have answered so far. */
export async function fakeRequestCount(fakesOrigin: string): Promise<number> {
  const response = await fetch(`${fakesOrigin}/_bench/requests`);
  return ((await response.json()) as { count: number }).count;
}

/**
 * Waits until the servers stop calling the fake APIs (no new request for `quietMs`) and
 * returns how long that work went on after `since`: a bot that acknowledges first keeps
 * working after the load stops, and that work is part of what a request costs.
 */
export async function settle(fakesOrigin: string, since: number, quietMs = 300): Promise<number> {
  let last = await fakeRequestCount(fakesOrigin);
  let lastChange = since;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const count = await fakeRequestCount(fakesOrigin);
    const now = performance.now();
    if (count !== last) {
      last = count;
      lastChange = now;
    } else if (now - lastChange >= quietMs) {
      return Math.max(0, lastChange - since);
    }
  }
}
