// A decoy's next step (an unknown account's, or a step Cognito refused) is
// refused without asking Cognito. Answered at once, its speed alone would
// tell an unknown account from a known one, whose step Cognito takes tens of
// milliseconds to refuse. So such a refusal takes about as long as Cognito's
// answers to the same kind of step have taken in this isolate: a step that
// sends a code takes longer than one that checks a code.

/** A moving average of Cognito's latency per kind of sign-in step in this isolate (ms); 60 until one is seen. */
const typicalMs = new Map<string, number>();

/** Runs a Cognito sign-in step of `kind` and notes how long it took. */
export async function timedStep<T>(kind: string, step: () => Promise<T>): Promise<T> {
  const start = Date.now();
  try {
    return await step();
  } finally {
    typicalMs.set(kind, 0.8 * (typicalMs.get(kind) ?? 60) + 0.2 * Math.min(Date.now() - start, 5_000));
  }
}

/** Waits about as long as a Cognito sign-in step of `kind` takes (±20%). */
export const asLongAsCognito = (kind: string): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, (typicalMs.get(kind) ?? 60) * (0.8 + 0.4 * Math.random())));
