// A decoy's next step (an unknown account's, or a step Cognito refused) is
// refused without asking Cognito. Answered at once, its speed alone would
// tell an unknown account from a known one, whose step Cognito takes tens of
// milliseconds to refuse. So such a refusal takes about as long as Cognito's
// answers to sign-in steps have taken in this isolate.

/** A moving average of Cognito's sign-in step latency in this isolate (ms); 60 until one is seen. */
let typicalMs = 60;

/** Runs a Cognito sign-in step and notes how long it took. */
export async function timedStep<T>(step: () => Promise<T>): Promise<T> {
  const start = Date.now();
  try {
    return await step();
  } finally {
    typicalMs = 0.8 * typicalMs + 0.2 * Math.min(Date.now() - start, 5_000);
  }
}

/** Waits about as long as a Cognito sign-in step takes (±20%). */
export const asLongAsCognito = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, typicalMs * (0.8 + 0.4 * Math.random())));
