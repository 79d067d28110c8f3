import type { AccessClaims } from "./claims";

interface Entry {
  claims: AccessClaims;
  /** Set on every hit; eviction gives such an entry a second chance. */
  used: boolean;
}

/**
 * A bounded map from exact token strings to verified claims, so a client
 * sending the same token on every request pays the RSA verification once per
 * isolate. Bounded by entries and by total token bytes; callers still check
 * `exp` and revocation on every hit.
 *
 * Eviction is "second chance" (CLOCK) rather than strict LRU: reordering a Map
 * on every hit (delete + set) costs ~10 µs per lookup in V8 with thousands of
 * long keys, more than the lookup it saves; a flag costs nothing.
 */
export class VerifiedCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(
    private readonly maxEntries = 2000,
    private readonly maxBytes = 4 * 1024 * 1024,
  ) {}

  get(token: string): AccessClaims | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    entry.used = true;
    return entry.claims;
  }

  set(token: string, claims: AccessClaims): void {
    if (token.length > this.maxBytes) return;
    this.delete(token);
    this.entries.set(token, { claims, used: false });
    this.bytes += token.length;
    this.evict();
  }

  delete(token: string): void {
    if (this.entries.delete(token)) this.bytes -= token.length;
  }

  private evict(): void {
    let chances = this.entries.size;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const [oldest, entry] = this.entries.entries().next().value as [string, Entry];
      this.entries.delete(oldest);
      if (entry.used && chances-- > 0) {
        entry.used = false;
        this.entries.set(oldest, entry);
      } else {
        this.bytes -= oldest.length;
      }
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }
}
