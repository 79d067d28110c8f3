import { ExpiringObject } from "../limits/expiring-object";
import { MAX_SESSIONS } from "./settings";

/** An access token's session at the edge (its origin_jti, else its jti) and when it expires (ms). */
export interface TokenSeen {
  id: string;
  lifeS: number;
  expMs: number;
}

/** One session of the user: what the list shows, and what ending it needs. */
export interface SessionEntry {
  sid: string;
  /** The User-Agent, truncated. */
  device: string;
  /** Cloudflare's country of the request, when known. */
  country?: string;
  createdAt: number;
  lastUsedAt: number;
  /** When the refresh token can no longer be alive: the entry goes then. */
  expiresAt: number;
  /** The session's Cognito refresh token, sealed for the registry (sessions/sealed.ts); never raw. */
  sealed?: string;
  /** The access tokens issued last, newest last: which one is the caller's, and what to revoke at the edge. */
  tokens: TokenSeen[];
}

/** What the Worker saw at a sign-in or refresh. */
export interface Seen {
  sid: string;
  device: string;
  country?: string;
  /** Absent: the one held stays. */
  sealed?: string;
  token?: TokenSeen;
  expiresAt: number;
}

const ENTRY = "s:";
const ENDED = "x:";
/** Ended sessions remembered (a refresh of one is refused here); beyond it the first to expire is forgotten, Cognito still refuses it. */
const MAX_ENDED = 500;
/** Access tokens remembered per session: enough for those alive within one access-token life under rotation. */
const MAX_TOKENS = 4;

/**
 * One object per user (named by `sub`): the user's sessions, written at
 * sign-in, refresh and logout, never on other requests. A Durable Object is
 * one instance worldwide, so a session ended on one device is ended for a
 * refresh anywhere, and the cap cannot be passed by signing in from many
 * places at once. Each method reads and writes storage before its first
 * await, so concurrent calls are decided one after the other.
 */
/** The entry of a session first seen now; a sign-in adds its sealed refresh token. */
const newEntry = (seen: Seen, now: number): SessionEntry => ({
  sid: seen.sid,
  device: seen.device,
  country: seen.country,
  createdAt: now,
  lastUsedAt: now,
  expiresAt: seen.expiresAt,
  tokens: [],
});

export class SessionRegistry extends ExpiringObject<SessionEntry | number> {
  /** Records a new session; ends the oldest beyond `cap` (and MAX_SESSIONS). Answers the ended ones, for the Worker to revoke. */
  async signedIn(seen: Seen, cap: number | undefined, now = Date.now()): Promise<SessionEntry[]> {
    this.put({ ...newEntry(seen, now), sealed: seen.sealed }, seen, now);
    const ended = this.trim(Math.min(cap ?? MAX_SESSIONS, MAX_SESSIONS), seen.sid, now);
    await this.expireAt(seen.expiresAt);
    return ended;
  }

  /**
   * Records a refresh of session `seen.sid`. `ended` when that session was
   * ended here: the Worker refuses the refresh. A session this registry does
   * not know (signed in before it was bound, or with a token of earlier
   * versions) is recorded from now on, without ending others beyond the cap.
   */
  async refreshed(seen: Seen, now = Date.now()): Promise<{ ended: boolean; evicted: SessionEntry[] }> {
    if ((this.ctx.storage.kv.get<number>(ENDED + seen.sid) ?? 0) > now) return { ended: true, evicted: [] };
    const held = this.live(seen.sid, now);
    const entry: SessionEntry = held ?? newEntry(seen, now);
    this.put(
      {
        ...entry,
        // A refresh without a User-Agent (a server's) keeps the device its sign-in named.
        device: seen.device || entry.device,
        country: seen.country ?? entry.country,
        lastUsedAt: now,
        expiresAt: Math.max(entry.expiresAt, seen.expiresAt),
        sealed: seen.sealed ?? entry.sealed,
      },
      seen,
      now,
    );
    const evicted = held ? [] : this.trim(MAX_SESSIONS, seen.sid, now);
    await this.expireAt(seen.expiresAt);
    return { ended: false, evicted };
  }

  /** The user's live sessions, most recently used first, without their refresh tokens. */
  async list(now = Date.now()): Promise<Omit<SessionEntry, "sealed">[]> {
    return this.entries(now)
      .sort((a, b) => b.lastUsedAt - a.lastUsedAt)
      .map(({ sealed: _, ...shown }) => shown);
  }

  /** Ends session `sid`: removed, and a refresh of it refused from now on. Answers it (for the Worker to revoke), or undefined when the user has no such session. */
  async end(sid: string, now = Date.now()): Promise<SessionEntry | undefined> {
    const entry = this.live(sid, now);
    if (!entry) return undefined;
    this.bury(entry, now);
    return entry;
  }

  /** Ends every session of the user (sign out everywhere, credential changes, admin actions, deletion). */
  async endAll(now = Date.now()): Promise<SessionEntry[]> {
    const entries = this.entries(now);
    for (const entry of entries) this.bury(entry, now);
    return entries;
  }

  private live(sid: string, now: number): SessionEntry | undefined {
    const entry = this.ctx.storage.kv.get<SessionEntry>(ENTRY + sid);
    return entry && entry.expiresAt > now ? entry : undefined;
  }

  private entries(now: number): SessionEntry[] {
    return [...this.ctx.storage.kv.list<SessionEntry>({ prefix: ENTRY })].map(([, e]) => e).filter((e) => e.expiresAt > now);
  }

  /** Stores `entry` with the access token just issued (the newest MAX_TOKENS unexpired ones). */
  private put(entry: SessionEntry, seen: Seen, now: number): void {
    const token = seen.token;
    const tokens = entry.tokens.filter((t) => t.expMs > now && t.id !== token?.id);
    if (token) tokens.push(token);
    this.ctx.storage.kv.put(ENTRY + entry.sid, { ...entry, tokens: tokens.slice(-MAX_TOKENS) });
  }

  /** Ends the oldest sessions (by sign-in) beyond `cap`, never `keep`. */
  private trim(cap: number, keep: string, now: number): SessionEntry[] {
    const others = this.entries(now)
      .filter((e) => e.sid !== keep)
      .sort((a, b) => a.createdAt - b.createdAt);
    const ended = others.slice(0, Math.max(0, others.length + 1 - cap));
    for (const entry of ended) this.bury(entry, now);
    return ended;
  }

  /** Removes `entry` and remembers it as ended until its refresh token cannot be alive; forgets the soonest-expiring beyond MAX_ENDED. */
  private bury(entry: SessionEntry, now: number): void {
    this.ctx.storage.kv.delete(ENTRY + entry.sid);
    this.ctx.storage.kv.put(ENDED + entry.sid, Math.max(entry.expiresAt, now + 1000));
    const ended = [...this.ctx.storage.kv.list<number>({ prefix: ENDED })].sort(([, a], [, b]) => a - b);
    for (const [key] of ended.slice(0, Math.max(0, ended.length - MAX_ENDED))) this.ctx.storage.kv.delete(key);
  }

  protected endOf(value: SessionEntry | number): number {
    return typeof value === "number" ? value : value.expiresAt;
  }
}
