// The demo app (public/) and the docs page in a real Chromium, against the
// Worker under `wrangler dev` in browser session mode (SESSION_MODE=browser, as
// `npm start` runs it), walked as a user would: by labels and buttons. At every
// step no token is readable by the page (secrecy.ts; session-walk.test.ts has
// the gateway and an injected script).
// The steps share state by design, as one user's visit does: one account, one
// browser page and its cookies, carried from each step to the next, so they run
// in order and none runs alone (a failed step leaves the rest nothing to walk).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { totp } from "../support/totp";
import "../support/provided";
import { demoPage, qrPath } from "./demo-page";
import { expectCallsOf, type HeldPasskey, lastCodeTo, openWalk, type Served, screenshot, startWorker } from "./harness";
import { expectNoTokenReadable } from "./secrecy";

/**
 * The step-up window of this Worker: short, so that the walk meets the
 * re-authentication prompt, and long enough for a passkey's two step-up calls
 * (start and complete) after one re-authentication on a busy machine.
 */
const STEP_UP_S = 4;
const PASSWORD = "Walk-Passw0rd!";
const NEW_PASSWORD = "Walk-N3w-Passw0rd!";
const email = `walker-${crypto.randomUUID().slice(0, 8)}@example.com`;

let served: Served;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let foreign: string[];
/** The text of every answer the page received: none may hold a token. */
let answers: string[];
/** The page's calls to /auth/*, "METHOD /path status" (harness.ts recordCalls). */
let calls: string[];
/** The passkeys the virtual authenticator holds. */
let held: () => Promise<HeldPasskey[]>;
let signedInAt = 0;
/** The TOTP secret the walk read off the page at setup. */
let secret = "";

const { heading, field, button, shown, confirmItsYou } = demoPage(() => page);

/** No cookie or storage a script can read, and no answer the page saw so far, holds a token. */
const expectNoTokenInPage = () => expectNoTokenReadable(page, context, answers);

async function signIn(password: string) {
  await field("Email").fill(email);
  await field("Password").fill(password);
  // Keyboard only: Enter submits the form.
  await field("Password").press("Enter");
}

async function enterTotp(label: string, name: string) {
  await field(label).fill(await totp(secret));
  await button(name).click();
}

/** Runs `action` and expects exactly `expected` calls to /auth/* from the page, in order. */
const expectCalls = (expected: string[], action: () => Promise<void>) => expectCallsOf(calls, expected, action);

/**
 * Lets the sign-in age past the Worker's step-up window, so that the next change asks to confirm it's you.
 * `signedInAt` is taken once the sign-in has answered, so the token's auth_time (whole seconds, rounded
 * down, by the same machine's clock) is no later: the window plus a few milliseconds is enough.
 */
const outlastStepUp = () => page.waitForTimeout(Math.max(0, signedInAt + STEP_UP_S * 1000 + 50 - Date.now()));

beforeAll(async () => {
  const vars = { SESSION_MODE: "browser", REFRESH_TOKEN_DELIVERY: "cookie", REAUTH_MAX_AGE_S: String(STEP_UP_S) };
  served = await startWorker(inject("cognito"), vars);
  ({ browser, context, page, foreign, calls, held, answers } = await openWalk(served.base));
});

afterAll(async () => {
  // Single-process Chromium: closing the browser ends it.
  await browser?.close();
  await served?.close();
});

describe("demo app, in Chromium", () => {
  it("registers, and confirming the email with the code signs in, with errors in words", async () => {
    await page.goto(`${served.base}/`);
    await heading("Sign in").waitFor();
    await screenshot(page, "01-sign-in");
    await button("Create an account").click();
    await field("Name").fill("Ada Walker");
    await field("Email").fill(email);
    await field("Password").fill(PASSWORD);
    await screenshot(page, "02-register");
    await button("Create account").click();
    await heading("Check your email").waitFor();
    await field("Confirmation code").fill("000000");
    await button("Confirm email").click();
    await expect.poll(() => shown("alert")).toBe("That code isn’t right. Check it and try again.");
    await screenshot(page, "03-confirm-wrong-code");
    await expectCalls(["POST /auth/verify 200", "GET /auth/me 200", "GET /auth/passkeys 200"], async () => {
      await field("Confirmation code").fill(await lastCodeTo(inject("cognito"), email));
      await button("Confirm email").click();
      await heading("Your account").waitFor();
    });
    await expect.poll(() => shown("notice")).toBe("Your email is confirmed, and you are signed in.");
    expect(await page.locator("#profile-email").textContent()).toBe(email);
    await expectNoTokenInPage();
    await button("Sign out").click();
    await heading("Sign in").waitFor();
  });

  it("signs in (a wrong password first) and shows the profile", async () => {
    await signIn("Wrong-Passw0rd!");
    await expect.poll(() => shown("alert")).toBe("That email and password don’t match. Check them and try again.");
    await screenshot(page, "04-sign-in-wrong-password");
    await signIn(PASSWORD);
    await heading("Your account").waitFor();
    signedInAt = Date.now();
    expect(await page.locator("#profile-email").textContent()).toBe(email);
    expect(await field("Name").inputValue()).toBe("Ada Walker");
    await screenshot(page, "05-account");
    await expectNoTokenInPage();
    // A reload finds the session again through the HttpOnly session cookie alone: the Worker's /auth/me answers.
    await expectCalls(["GET /auth/me 200", "GET /auth/me 200", "GET /auth/passkeys 200"], async () => {
      await page.reload();
      await heading("Your account").waitFor();
    });
    expect(await page.locator("#profile-email").textContent()).toBe(email);
  });

  it("adds a passkey with the device's authenticator, after confirming the password for the step-up", async () => {
    await outlastStepUp();
    const registration = [
      "POST /auth/passkeys/registration 401",
      "POST /auth/login 200",
      "POST /auth/passkeys/registration 200",
      "POST /auth/passkeys 204",
      "GET /auth/passkeys 200",
    ];
    const listed = page.waitForResponse((res) => res.url() === `${served.base}/auth/passkeys` && res.request().method() === "GET");
    await expectCalls(registration, async () => {
      await button("Add a passkey").click();
      await confirmItsYou({ password: PASSWORD }, "06-step-up");
      await expect.poll(() => shown("notice")).toBe("Your passkey is added. Next time, sign in with it.");
    });
    signedInAt = Date.now();
    // The passkey the Worker lists is the one the authenticator made.
    const { passkeys } = (await (await listed).json()) as { passkeys: { id: string }[] };
    expect(passkeys.map((p) => p.id)).toEqual((await held()).map((p) => p.id));
    await expect.poll(() => page.locator("#passkey-list li").count()).toBe(1);
    await screenshot(page, "07-passkey-added");
  });

  it("signs out, then signs in with the passkey (the page converting WebAuthn's JSON itself)", async () => {
    await button("Sign out").click();
    await heading("Sign in").waitFor();
    // Without the browser's JSON helpers, the app's own base64url conversion makes the request and the answer.
    await page.evaluate("delete PublicKeyCredential.parseRequestOptionsFromJSON; delete PublicKeyCredential.prototype.toJSON");
    expect(await page.evaluate("typeof PublicKeyCredential.parseRequestOptionsFromJSON")).toBe("undefined");
    const [before] = await held();
    await expectCalls(["POST /auth/login 200", "POST /auth/challenge 200", "GET /auth/me 200", "GET /auth/passkeys 200"], async () => {
      await field("Email").fill(email);
      await button("Sign in with a passkey").click();
      await heading("Your account").waitFor();
    });
    signedInAt = Date.now();
    // The authenticator signed exactly once: this sign-in.
    expect(await held()).toEqual([{ id: before.id, signCount: before.signCount + 1 }]);
    await expectNoTokenInPage();
    // The reload brings the browser's own helpers back for the rest of the walk.
    await page.reload();
    await heading("Your account").waitFor();
  });

  it("removes the passkey after confirming with the passkey, and it no longer signs in", async () => {
    const [{ id }] = await held();
    await outlastStepUp();
    const removal = [
      `DELETE /auth/passkeys/${id} 401`,
      "POST /auth/login 200",
      "POST /auth/challenge 200",
      `DELETE /auth/passkeys/${id} 204`,
      "GET /auth/passkeys 200",
    ];
    await expectCalls(removal, async () => {
      await page
        .locator("#passkey-list")
        .getByRole("button", { name: /^Remove/ })
        .click();
      await confirmItsYou("use a passkey");
      await expect.poll(() => shown("notice")).toBe("The passkey is removed from your account. You can also delete it from your device.");
    });
    expect(await page.locator("#passkey-list li").count()).toBe(0);
    expect(await page.locator("#passkey-status").textContent()).toBe("No passkeys yet.");
    await button("Sign out").click();
    await heading("Sign in").waitFor();
    // The device still holds the passkey; the account no longer knows it.
    await expectCalls(["POST /auth/login 200", "POST /auth/challenge 401"], async () => {
      await field("Email").fill(email);
      await button("Sign in with a passkey").click();
      await expect.poll(() => shown("alert")).toBe("That passkey doesn’t sign in to this account. Try another way to sign in.");
    });
    await heading("Sign in").waitFor();
  });

  it("signs in with a code sent by email (a wrong code first)", async () => {
    await expectCalls(["POST /auth/login 200"], async () => {
      await field("Email").fill(email);
      await button("Email me a code").click();
      await heading("Check your email").waitFor();
    });
    // The destination as the Worker masks it: the page never shows the address the code went to.
    expect(await page.locator("#challenge-text").textContent()).toBe("Enter the code we sent to w***@e***.");
    await screenshot(page, "08-email-code");
    await expectCalls(["POST /auth/challenge 400"], async () => {
      await field("Code").fill("00000000");
      await button("Verify").click();
      await expect.poll(() => shown("alert")).toBe("That code isn’t right. Check it and try again.");
    });
    await expectCalls(["POST /auth/challenge 200", "GET /auth/me 200", "GET /auth/passkeys 200"], async () => {
      await field("Code").fill(await lastCodeTo(inject("cognito"), email));
      await button("Verify").click();
      await heading("Your account").waitFor();
    });
    signedInAt = Date.now();
    expect(await page.locator("#profile-email").textContent()).toBe(email);
    await expectNoTokenInPage();
  });

  it("sets up TOTP from the QR code, after confirming the password for the step-up", async () => {
    await outlastStepUp();
    await button("Set up an authenticator app").click();
    await confirmItsYou({ password: PASSWORD });
    await page.getByRole("img", { name: "QR code for your authenticator app" }).waitFor();
    secret = (await page.locator("#totp-secret").textContent())?.replace(/\s/g, "") ?? "";
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    // The QR code is exactly the otpauth URI of docs/API.md for this secret.
    expect(await page.locator("#totp-qr path").getAttribute("d")).toBe(
      qrPath(`otpauth://totp/cognito-edge:${encodeURIComponent(email)}?secret=${secret}&issuer=cognito-edge`),
    );
    await screenshot(page, "09-totp-qr");
    await enterTotp("Code from the app", "Turn on");
    await expect.poll(() => shown("notice")).toBe("Two-step verification is on. You will be asked for a code when you sign in.");
  });

  it("signs out, then signs in with the TOTP challenge", async () => {
    await button("Sign out").click();
    await heading("Sign in").waitFor();
    await expect.poll(() => shown("notice")).toBe("You are signed out.");
    await screenshot(page, "10-signed-out");
    await signIn(PASSWORD);
    await heading("Two-step verification").waitFor();
    await screenshot(page, "11-totp-challenge");
    await enterTotp("Code", "Verify");
    await heading("Your account").waitFor();
    await expectNoTokenInPage();
  });

  it("edits the profile", async () => {
    await field("Name").fill("Ada Lovelace Walker");
    await button("Save name").click();
    await expect.poll(() => shown("notice")).toBe("Your name is saved.");
    await screenshot(page, "12-profile-saved");
    await expectNoTokenInPage();
  });

  it("changes the password, answering the TOTP challenge of the new sign-in", async () => {
    await field("Current password").fill(PASSWORD);
    await field("New password").fill(NEW_PASSWORD);
    await button("Change password").click();
    await heading("Two-step verification").waitFor();
    await expect.poll(() => shown("notice")).toBe("Your password is changed. To stay signed in here, enter the code.");
    await enterTotp("Code", "Verify");
    await heading("Your account").waitFor();
    await expect.poll(() => shown("notice")).toBe("Your password is changed, and you are signed out on your other devices.");
    await screenshot(page, "13-password-changed");
  });

  it("signs out everywhere: the session cookies are gone and a reload finds no session", async () => {
    await button("Sign out everywhere").click();
    await heading("Sign in").waitFor();
    await expect.poll(() => shown("notice")).toBe("You are signed out on every device.");
    await screenshot(page, "14-signed-out-everywhere");
    const names = (await context.cookies()).map((c) => c.name);
    expect(names).not.toContain("__Host-refresh");
    expect(names).not.toContain("__Host-edge-session");
    await page.reload();
    await heading("Sign in").waitFor();
    await expectNoTokenInPage();
    expect(foreign).toEqual([]);
  });
});

describe("API reference at /docs, in Chromium", () => {
  it("renders every operation of /openapi.json without fetching anything from elsewhere", async () => {
    const doc = (await fetch(`${served.base}/openapi.json`).then((r) => r.json())) as { paths: Record<string, object> };
    expect(doc).toEqual(JSON.parse(readFileSync(resolve(import.meta.dirname, "../../public/openapi.json"), "utf8")));
    await page.goto(`${served.base}/docs`);
    await page.getByRole("heading", { level: 2, name: "Sign-up and sign-in" }).waitFor();
    const operations = Object.values(doc.paths).flatMap((item) => Object.keys(item)).length;
    expect(await page.locator("section.op").count()).toBe(operations);
    await page.locator("#op-login").scrollIntoViewIfNeeded();
    await screenshot(page, "15-docs", { fullPage: false });
    expect(foreign).toEqual([]);
  });
});
