// Cognito faults injected by the strict layer: every one answers 503 or 429
// with Retry-After within the timeout; reads are retried once, writes never.
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { expectGaveUpAfterTimeout, HUNG_ENV } from "../support/hung";
import { expectProblem, injectFault, newEmail, PASSWORD, send, signedInUser } from "../support/worker";

const usernameOf = (accessToken: string) => String(decodeJwt(accessToken).username);

describe("Cognito faults", () => {
  it("retries a read once: one 500 on GetUser still answers 200", async () => {
    const { tokens } = await signedInUser();
    await injectFault({ op: "GetUser", username: usernameOf(tokens.accessToken), kind: "500" });
    expect((await send("/auth/me", { token: tokens.accessToken })).status).toBe(200);
  });

  it("gives up after the retry: two 500s on GetUser are 503 with Retry-After", async () => {
    const { tokens } = await signedInUser();
    await injectFault({ op: "GetUser", username: usernameOf(tokens.accessToken), kind: "500", times: 2 });
    const res = await send("/auth/me", { token: tokens.accessToken });
    await expectProblem(res, 503, "upstream_unavailable");
    expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
  });

  it("retries a throttled read once", async () => {
    const { tokens } = await signedInUser();
    await injectFault({ op: "GetUser", username: usernameOf(tokens.accessToken), kind: "throttle" });
    expect((await send("/auth/me", { token: tokens.accessToken })).status).toBe(200);
  });

  it("never repeats SignUp: one 500 is a 503, and the user was not created behind the client's back", async () => {
    const email = newEmail();
    const register = () => send("/auth/register", { json: { email, password: PASSWORD, name: "A" } });
    await injectFault({ op: "SignUp", username: email, kind: "500" });
    // The second SignUp for this email meets this one, whoever makes it. (The stand-in's /__calls log
    // counts the calls of every test running at the same time, so it cannot tell this email's.)
    await injectFault({ op: "SignUp", username: email, kind: "error", type: "InvalidParameterException" });
    await expectProblem(await register(), 503, "upstream_unavailable");
    // An unconfirmed user would answer 403 email_not_confirmed.
    await expectProblem(await send("/auth/login", { json: { email, password: PASSWORD } }), 401, "invalid_credentials");
    // The client's retry is the second SignUp for this email: the Worker made exactly one.
    await expectProblem(await register(), 400, "validation_failed");
    expect((await register()).status).toBe(201);
  });

  it.each([
    ["a 500", "500", 503, "upstream_unavailable"],
    ["malformed JSON", "malformed", 503, "upstream_unavailable"],
    ["throttling", "throttle", 429, "too_many_requests"],
  ])("answers %s at login with %i and Retry-After", async (_case, kind, status, code) => {
    const email = newEmail();
    await injectFault({ op: "InitiateAuth", username: email, kind });
    const res = await send("/auth/login", { json: { email, password: PASSWORD } });
    await expectProblem(res, status, code);
    expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
  });

  it("answers a hung Cognito with 503 within the timeout, for reads and writes", async () => {
    const { tokens } = await signedInUser();
    await injectFault({ op: "GetUser", username: usernameOf(tokens.accessToken), kind: "timeout" });
    let started = Date.now();
    const read = await send("/auth/me", { token: tokens.accessToken, env: HUNG_ENV });
    await expectProblem(read, 503, "upstream_unavailable");
    expectGaveUpAfterTimeout(started);
    const email = newEmail();
    await injectFault({ op: "SignUp", username: email, kind: "timeout" });
    started = Date.now();
    const write = await send("/auth/register", { json: { email, password: PASSWORD, name: "A" }, env: HUNG_ENV });
    await expectProblem(write, 503, "upstream_unavailable");
    expectGaveUpAfterTimeout(started);
  });
});
