import type { AccessClaims } from "./claims";

/**
 * A bounded, least-recently-used map from exact token strings to verified
 * claims, so a client sending the same token on every request pays the RSA
 * verification once per isolate. Bounded by entries and by total token bytes;
 * callers still check `exp` and revocation on every hit.
 */
export class VerifiedCache {
  private readonly entries = new Map<string, AccessClaims>();
  private bytes = 0;

  constructor(
    private readonly maxEntries = 5000,
    private readonly maxBytes = 8 * 1024 * 1024,
  ) {}

  get(token: string): AccessClaims | undefined {
    const claims = this.entries.get(token);
    if (claims) {
      // Re-insert to mark as most recently used.
      this.entries.delete(token);
      this.entries.set(token, claims);
    }
    return claims;
  }

  set(token: string, claims: AccessClaims): void {
    if (token.length > this.maxBytes) return;
    this.delete(token);
    this.entries.set(token, claims);
    this.bytes += token.length;
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.delete(oldest);
    }
  }

  delete(token: string): void {
    if (this.entries.delete(token)) this.bytes -= token.length;
  }

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }
}
