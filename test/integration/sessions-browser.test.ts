// The session registry with SESSION_MODE=browser: a browser session is listed
// and ended like a bearer client's, and its cookie authenticates the session
// routes (unsafe methods from an allowed Origin only).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BROWSER, browserUser, fromPage } from "../support/browser";
import { expectProblem, expectTokens, refresh, send, type Tokens } from "../support/worker";

const ON = { SESSIONS: env.TEST_SESSIONS };
const BOTH = { ...BROWSER, ...ON };

interface Listed {
  id: string;
  current: boolean;
}

/** A user signed in from a page (session cookie) and from a client that is no browser (tokens). */
async function browserAndBearer() {
  const user = await browserUser(ON);
  const res = await send("/auth/login", { json: { email: user.email, password: user.password }, env: BOTH });
  const tokens = (await expectTokens(res, { refreshToken: true })) as unknown as Tokens;
  return { cookie: user.cookie, tokens };
}

const listed = async (res: Response) => {
  expect(res.status).toBe(200);
  return ((await res.json()) as { sessions: Listed[] }).sessions;
};

describe("sessions in SESSION_MODE=browser", () => {
  it("lists the browser's session and the bearer client's, each current for its own caller", async () => {
    const { cookie, tokens } = await browserAndBearer();
    const fromBrowser = await listed(await fromPage("/auth/sessions", cookie, { env: ON }));
    const fromBearer = await listed(await send("/auth/sessions", { token: tokens.accessToken, env: BOTH }));
    expect(fromBrowser).toHaveLength(2);
    const browserId = fromBrowser.find((s) => s.current)?.id;
    const bearerId = fromBearer.find((s) => s.current)?.id;
    expect(browserId).toBeDefined();
    expect(bearerId).toBeDefined();
    expect(browserId).not.toBe(bearerId);
  });

  it("the page ends the bearer client's session with its cookie; the client's refresh fails", async () => {
    const { cookie, tokens } = await browserAndBearer();
    const other = (await listed(await fromPage("/auth/sessions", cookie, { env: ON }))).find((s) => !s.current);
    expect((await fromPage(`/auth/sessions/${other?.id}`, cookie, { method: "DELETE", env: ON })).status).toBe(204);
    await expectProblem(await refresh(tokens.refreshToken, { env: BOTH }), 401, "invalid_refresh_token");
  });

  it("a bearer client ends the browser's session: the page's cookie stops working", async () => {
    const { cookie, tokens } = await browserAndBearer();
    const browserSession = (await listed(await send("/auth/sessions", { token: tokens.accessToken, env: BOTH }))).find((s) => !s.current);
    expect((await send(`/auth/sessions/${browserSession?.id}`, { method: "DELETE", token: tokens.accessToken, env: BOTH })).status).toBe(204);
    expect((await fromPage("/auth/me", cookie, { env: ON })).status).toBe(401);
  });

  it("attack: a cross-site DELETE with the victim's session cookie is refused, and the session lives on", async () => {
    const { cookie, tokens } = await browserAndBearer();
    const bearerId = (await listed(await send("/auth/sessions", { token: tokens.accessToken, env: BOTH }))).find((s) => s.current)?.id;
    const res = await send(`/auth/sessions/${bearerId}`, { method: "DELETE", headers: { Origin: "https://evil.example", Cookie: cookie }, env: BOTH });
    await expectProblem(res, 403, "forbidden");
    expect((await refresh(tokens.refreshToken, { env: BOTH })).status).toBe(200);
  });
});
