// Browser sessions (SESSION_MODE=browser) in a real Chromium, as a deployed
// app meets them: the Worker under `wrangler dev` with a gateway upstream (it
// echoes what it gets), and the demo app on an origin of its own in front of
// it (harness.ts appOrigin). The page signs up and in, calls the gateway and
// signs out; a script injected into it acts within the session. No answer the
// page saw, no cookie or storage it can read, and nothing the injected script
// can fetch holds a token (secrecy.ts). The steps share one visit, in order.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import "../support/provided";
import { demoPage } from "./demo-page";
import { expectCallsOf, lastCodeTo, openWalk, type Served, startWorker } from "./harness";
import { countTokens, expectForwardedAsUser, expectNoTokenReadable, expectNothingObtained, gatewayFromPage, injectedScript } from "./secrecy";

const PASSWORD = "Session-Walk-Passw0rd!";
const email = `session-walker-${crypto.randomUUID().slice(0, 8)}@example.com`;

let served: Served;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let foreign: string[];
let calls: string[];
let answers: string[];

const { heading, field, button, shown } = demoPage(() => page);
/** No cookie or storage a script can read, and no answer the page saw so far, holds a token. */
const expectNoTokenInPage = () => expectNoTokenReadable(page, context, answers);

beforeAll(async () => {
  served = await startWorker(inject("cognito"), { SESSION_MODE: "browser", REFRESH_TOKEN_DELIVERY: "cookie" }, { upstream: true });
  ({ browser, context, page, foreign, calls, answers } = await openWalk(served.base));
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

describe("browser sessions behind the gateway, in Chromium", () => {
  it("signs up and is signed in by the confirmation: the profile shows, and the page holds no token", async () => {
    await page.goto(`${served.base}/`);
    await button("Create an account").click();
    await field("Name").fill("Grace Walker");
    await field("Email").fill(email);
    await field("Password").fill(PASSWORD);
    await button("Create account").click();
    await heading("Check your email").waitFor();
    await expectCallsOf(calls, ["POST /auth/verify 200", "GET /auth/me 200", "GET /auth/passkeys 200"], async () => {
      await field("Confirmation code").fill(await lastCodeTo(inject("cognito"), email));
      await button("Confirm email").click();
      await heading("Your account").waitFor();
    });
    expect(await page.locator("#profile-email").textContent()).toBe(email);
    expect(await field("Name").inputValue()).toBe("Grace Walker");
    await expectNoTokenInPage();
  });

  it("calls a gateway path with the session: the upstream gets the identity and no token", async () => {
    expectForwardedAsUser(await gatewayFromPage(page, "/api/orders?page=1"), "/api/orders?page=1");
    await expectNoTokenInPage();
  });

  it("a script injected into the page acts within the session but obtains no token", async () => {
    expectNothingObtained(await injectedScript(page, email, PASSWORD), email);
    await expectNoTokenInPage();
    // The same sign-in from outside a browser (no Origin, no Sec-Fetch-Site) answers tokens, and they are counted.
    const json = { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email, password: PASSWORD }) };
    const outside = await fetch(`${served.base}/auth/login`, json);
    expect(countTokens([await outside.text()]), "tokens of a sign-in from outside a browser").toBe(2);
  });

  it("signs out: the session cookies are gone, a reload finds no session, and the gateway refuses", async () => {
    await expectCallsOf(calls, ["POST /auth/logout 204"], async () => {
      await button("Sign out").click();
      await heading("Sign in").waitFor();
    });
    await expect.poll(() => shown("notice")).toBe("You are signed out.");
    expect((await context.cookies()).map((c) => c.name)).not.toContain("__Host-edge-session");
    await page.reload();
    await heading("Sign in").waitFor();
    expect(await page.evaluate(`fetch("/api/orders", { credentials: "include" }).then((res) => res.status)`)).toBe(401);
    await expectNoTokenInPage();
    expect(foreign).toEqual([]);
  });
});
