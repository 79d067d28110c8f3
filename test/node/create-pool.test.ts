// Runs scripts/create-pool.sh with a fake `aws` on PATH that records its
// arguments, and checks them: every option is one of the AWS CLI v2 reference's
// for that command, and the pool applies the mitigations the README lists.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");

/** The options of each command in the AWS CLI v2 reference (aws cognito-idp <command> help), plus the global ones the script uses. */
const GLOBAL = ["--region", "--output", "--query"];
const OPTIONS: Record<string, string[]> = {
  "create-user-pool": [
    "--pool-name", "--policies", "--deletion-protection", "--lambda-config", "--auto-verified-attributes", "--alias-attributes",
    "--username-attributes", "--sms-verification-message", "--email-verification-message", "--email-verification-subject",
    "--verification-message-template", "--sms-authentication-message", "--mfa-configuration", "--user-attribute-update-settings",
    "--device-configuration", "--email-configuration", "--sms-configuration", "--user-pool-tags", "--admin-create-user-config",
    "--schema", "--user-pool-add-ons", "--username-configuration", "--account-recovery-setting", "--user-pool-tier",
  ],
  "create-user-pool-client": [
    "--user-pool-id", "--client-name", "--generate-secret", "--no-generate-secret", "--refresh-token-validity",
    "--access-token-validity", "--id-token-validity", "--token-validity-units", "--read-attributes", "--write-attributes",
    "--explicit-auth-flows", "--supported-identity-providers", "--callback-urls", "--logout-urls", "--default-redirect-uri",
    "--allowed-o-auth-flows", "--allowed-o-auth-scopes", "--allowed-o-auth-flows-user-pool-client",
    "--no-allowed-o-auth-flows-user-pool-client", "--analytics-configuration", "--prevent-user-existence-errors",
    "--enable-token-revocation", "--no-enable-token-revocation", "--enable-propagate-additional-user-context-data",
    "--no-enable-propagate-additional-user-context-data", "--auth-session-validity", "--refresh-token-rotation",
  ],
  "set-user-pool-mfa-config": [
    "--user-pool-id", "--sms-mfa-configuration", "--software-token-mfa-configuration", "--email-mfa-configuration",
    "--mfa-configuration", "--web-authn-configuration",
  ],
  "create-group": ["--group-name", "--user-pool-id", "--description", "--role-arn", "--precedence"],
  "create-user-pool-domain": ["--domain", "--user-pool-id", "--managed-login-version", "--custom-domain-config"],
};

/** The Worker's default WRITABLE_ATTRIBUTES, read from src/profile.ts. */
function defaultWritable(): string[] {
  const source = readFileSync(join(ROOT, "src/profile.ts"), "utf8");
  const list = /DEFAULT_WRITABLE = \[([^\]]*)\]/.exec(source)?.[1] ?? "";
  return [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Runs the script with `args`; answers the calls it made, each as its argument list. */
function runScript(args: string[]): { calls: string[][]; output: string } {
  dir = mkdtempSync(join(tmpdir(), "create-pool-"));
  const log = join(dir, "calls.jsonl");
  const fake = join(dir, "aws");
  writeFileSync(
    fake,
    `#!/usr/bin/env node
const args = process.argv.slice(2);
require("node:fs").appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + "\\n");
if (args.includes("create-user-pool")) console.log("us-east-1_Fake123");
if (args.includes("create-user-pool-client")) console.log("fakeclientid");
`,
  );
  chmodSync(fake, 0o755);
  const output = execFileSync("bash", [join(ROOT, "scripts/create-pool.sh"), ...args], {
    env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
    encoding: "utf8",
  });
  const calls = readFileSync(log, "utf8").trim().split("\n").map((line) => JSON.parse(line) as string[]);
  return { calls, output };
}

/** The values after `option`, up to the next option. */
function valuesOf(call: string[], option: string): string[] {
  const at = call.indexOf(option);
  if (at === -1) return [];
  const next = call.findIndex((arg, i) => i > at && arg.startsWith("--"));
  return call.slice(at + 1, next === -1 ? undefined : next);
}

const commandOf = (call: string[]) => call[call.indexOf("cognito-idp") + 1];
const callOf = (calls: string[][], command: string) => {
  const call = calls.find((c) => commandOf(c) === command);
  if (!call) throw new Error(`no ${command} call`);
  return call;
};

describe("scripts/create-pool.sh", () => {
  it("passes only options of the AWS CLI reference", () => {
    const ses = ["--ses-identity", "arn:aws:ses:us-east-1:123456789012:identity/example.com", "--from", "no-reply@example.com"];
    for (const extra of [[], ["--public", "--sms-role", "arn:aws:iam::123456789012:role/cognito-sms"], ses]) {
      const { calls } = runScript(["us-east-1", "my-app", "https://auth.example.com", "https://app.example.com", ...extra]);
      expect(calls.map(commandOf)).toEqual(["create-user-pool", "set-user-pool-mfa-config", "create-group", "create-user-pool-client", "create-user-pool-domain"]);
      for (const call of calls) {
        const allowed = [...GLOBAL, ...OPTIONS[commandOf(call)]];
        expect(call.filter((arg) => arg.startsWith("--")).filter((option) => !allowed.includes(option)), commandOf(call)).toEqual([]);
      }
    }
  });

  it("makes a changed email take effect only once verified, and limits the app client to the Worker's writable attributes and 15-minute access tokens", () => {
    const { calls, output } = runScript(["us-east-1", "my-app", "https://auth.example.com"]);
    const pool = callOf(calls, "create-user-pool");
    // Cognito takes there only attributes it verifies itself; without SMS that is email.
    expect(valuesOf(pool, "--user-attribute-update-settings")).toEqual(["AttributesRequireVerificationBeforeUpdate=email"]);
    expect(valuesOf(pool, "--auto-verified-attributes")).toEqual(["email"]);
    const client = callOf(calls, "create-user-pool-client");
    // No SMS to verify a phone number with: a token must not set one unverified.
    const writable = defaultWritable().filter((a) => a !== "phone_number");
    expect(valuesOf(client, "--write-attributes")).toEqual(writable);
    expect(output).toContain(`WRITABLE_ATTRIBUTES = "${writable.join(",")}"`);
    expect(Number(valuesOf(client, "--access-token-validity")[0])).toBeLessThanOrEqual(15);
    expect(valuesOf(client, "--token-validity-units")[0]).toMatch(/(^|,)AccessToken=minutes(,|$)/);
  });

  it("with --sms-role, verifies and guards phone numbers too", () => {
    const role = "arn:aws:iam::123456789012:role/cognito-sms";
    const { calls, output } = runScript(["eu-west-1", "my-app", "https://auth.example.com", "--sms-role", role]);
    const pool = callOf(calls, "create-user-pool");
    expect(valuesOf(pool, "--user-attribute-update-settings")).toEqual(["AttributesRequireVerificationBeforeUpdate=email,phone_number"]);
    expect(valuesOf(pool, "--auto-verified-attributes")).toEqual(["email", "phone_number"]);
    expect(valuesOf(pool, "--sms-configuration")).toEqual([`SnsCallerArn=${role},ExternalId=my-app,SnsRegion=eu-west-1`]);
    const client = callOf(calls, "create-user-pool-client");
    expect(valuesOf(client, "--write-attributes")).toEqual(defaultWritable());
    expect(output).toContain(`WRITABLE_ATTRIBUTES = "${defaultWritable().join(",")}"`);
  });

  it("serves phone sign-up and one-time codes only with the flags that make them possible, and says which first factors to configure", () => {
    const plain = runScript(["us-east-1", "my-app", "https://auth.example.com", "https://app.example.com"]);
    expect(valuesOf(callOf(plain.calls, "create-user-pool"), "--username-attributes")).toEqual(["email"]);
    expect(valuesOf(callOf(plain.calls, "create-user-pool"), "--policies")).toEqual(["SignInPolicy={AllowedFirstAuthFactors=[PASSWORD,WEB_AUTHN]}"]);
    expect(plain.output).toContain('FIRST_FACTORS = "password,passkey"');
    expect(plain.output).toContain('PASSKEY_RP_ID = "app.example.com"');
    const identity = "arn:aws:ses:us-east-1:123456789012:identity/example.com";
    const role = "arn:aws:iam::123456789012:role/cognito-sms";
    const all = runScript(["us-east-1", "my-app", "https://auth.example.com", "--sms-role", role, "--ses-identity", identity, "--from", "no-reply@example.com"]);
    const pool = callOf(all.calls, "create-user-pool");
    // Username attributes can never change: phone sign-up needs them at creation.
    expect(valuesOf(pool, "--username-attributes")).toEqual(["email", "phone_number"]);
    expect(valuesOf(pool, "--policies")).toEqual(["SignInPolicy={AllowedFirstAuthFactors=[PASSWORD,WEB_AUTHN,SMS_OTP,EMAIL_OTP]}"]);
    expect(valuesOf(pool, "--email-configuration")).toEqual([`EmailSendingAccount=DEVELOPER,SourceArn=${identity},From=no-reply@example.com`]);
    expect(all.output).toContain('FIRST_FACTORS = "password,passkey,sms_otp,email_otp"');
    expect(all.output).toContain("SMS_COUNTRY_CODES");
  });
});
