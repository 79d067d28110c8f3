interface Entry {
  token: Promise<string>;
  /** Epoch seconds after which the token is not handed out again. */
  until: number;
}

/** Keys longer than this (a very long path) are signed every time rather than held. */
const MAX_KEY_LENGTH = 2048;

/**
 * Assertions by caller and request, each reused until a margin before its
 * `exp` (or its `exp`, when its token's ends it). Bounded by entries; entries
 * are held in the order they were signed, about the order they expire in (one
 * lifetime for all but those of expiring tokens, which end sooner), so the
 * first is the one to drop: the least recently signed. The
 * promise is held, not the token, so that racing requests of one caller share
 * one signature.
 */
export class AssertionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 1000) {}

  /** The held token for `key`, unless its reuse has ended by `now`. */
  get(key: string, now: number): Promise<string> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until > now) return entry.token;
    this.entries.delete(key);
    return undefined;
  }

  /** Holds `token` for `key` until `until`; a token that fails is dropped. */
  set(key: string, token: Promise<string>, until: number, now: number): void {
    if (key.length > MAX_KEY_LENGTH || until <= now) return;
    this.entries.delete(key);
    this.entries.set(key, { token, until });
    token.catch(() => {
      if (this.entries.get(key)?.token === token) this.entries.delete(key);
    });
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && entry.until > now) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
