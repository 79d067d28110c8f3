// The local IP and user limiters (miniflare's Workers Rate Limiting) empty
// every bucket at each wall-clock minute: a test that counts up to a limit
// must do it within one minute.

const MINUTE_MS = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `steps` within one period of the local limiters: waits for a fresh
 * minute when less than `needMs` of this one is left, and runs `steps` once
 * more from the start of a fresh minute should they still have crossed into
 * the next. `steps` only collects answers; the caller asserts on the run that counts.
 */
export async function withinOneMinute<T>(steps: () => Promise<T>, needMs = 20_000): Promise<T> {
  for (let run = 0; ; run++) {
    const left = MINUTE_MS - (Date.now() % MINUTE_MS);
    if (run > 0 || left < needMs) await sleep(left + 100);
    const minute = Math.floor(Date.now() / MINUTE_MS);
    const result = await steps();
    if (run > 0 || Math.floor(Date.now() / MINUTE_MS) === minute) return result;
  }
}

const byte = () => Math.floor(Math.random() * 256);
/** An IPv4 client of its own. */
export const randomIpv4 = () => `10.${byte()}.${byte()}.${byte()}`;
