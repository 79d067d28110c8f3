// What every answer must be (docs/API.md, "Responses" and "Errors"), and what
// the contract says of a generated body when it says something precise.
import { expect } from "vitest";
import { FUZZ_CODE, FUZZ_PASSWORD, FUZZ_REFRESH } from "../secrets";
import { CHALLENGES } from "./fields";
import type { BodyCase, FuzzRoute } from "./routes";
import { byteLength } from "./strings";

/** Codes any request may earn without an outage or a bug of ours (docs/API.md, "Errors"). */
const KNOWN = new Set([
  "validation_failed", "invalid_json", "unsupported_media_type", "payload_too_large", "user_already_exists",
  "weak_password", "invalid_credentials", "email_not_confirmed", "code_mismatch", "code_expired",
  "invalid_refresh_token", "invalid_session", "reauthentication_required", "unauthorized", "token_expired",
  "forbidden", "not_found", "too_many_requests", "sms_country_not_allowed", "second_factor_required",
]);
const MARKERS = [FUZZ_PASSWORD, FUZZ_CODE, FUZZ_REFRESH];
/** The contract's own words, which a problem may name when a request sends them as values ("is required for method password"). */
const OWN_WORDS = new Set(["password", "email_otp", "sms_otp", "passkey", ...CHALLENGES]);
const MAX_BODY_BYTES = 16 * 1024;

export interface Problem {
  code: string;
  errors?: { path: string; message: string }[];
}

/** Every string value (keys left out) inside a JSON value. */
function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value === null || typeof value !== "object") return [];
  return Object.values(value).flatMap(stringsIn);
}

/** The strings a body carried: its string values, or the text itself when it is not JSON. */
export function inputStrings(body: string | Uint8Array): string[] {
  if (typeof body !== "string") return [];
  try {
    return stringsIn(JSON.parse(body));
  } catch {
    return [body];
  }
}

/**
 * Any answer: no marker of a secret field in the body or the headers (2xx
 * included); no stack trace; an error is a 4xx problem+json with a known code
 * whose strings repeat none of the input's. Returns the problem, if any.
 */
export async function expectSafeAnswer(res: Response, input: string[]): Promise<Problem | undefined> {
  const text = await res.text();
  const headers = JSON.stringify([...res.headers]);
  for (const marker of MARKERS) {
    expect(text.includes(marker), `the answer (${res.status}) repeats a secret of the request`).toBe(false);
    expect(headers.includes(marker), `a header (${res.status}) repeats a secret of the request`).toBe(false);
  }
  expect(text).not.toMatch(/\s+at\s.+:\d+:\d+/);
  if (res.status < 400) return undefined;
  expect(res.status, text).toBeLessThan(500);
  expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  const problem = JSON.parse(text) as Problem;
  expect(KNOWN.has(problem.code), problem.code).toBe(true);
  // A field's path names the request's keys (docs/API.md: an unknown field is named), never its values: left out.
  const said = stringsIn({ ...problem, errors: problem.errors?.map((e) => e.message) });
  const echoed = input.filter((s) => s.trim().length >= 8 && !OWN_WORDS.has(s) && said.some((t) => t.includes(s)));
  expect(echoed, "the problem repeats the request").toEqual([]);
  return problem;
}

const names = (problem: Problem | undefined, path: string) =>
  problem?.code === "validation_failed" && (problem.errors ?? []).some((e) => e.path === path);

/** The parts of docs/API.md a body case is precise about: size, media type, a field's limits. */
export function expectContract(route: FuzzRoute, kase: BodyCase, problem: Problem | undefined) {
  const bytes = typeof kase.body === "string" ? byteLength(kase.body) : kase.body.byteLength;
  const media = (kase.contentType ?? "").split(";")[0].trim().toLowerCase();
  const code = problem?.code;
  if (bytes > MAX_BODY_BYTES) {
    // A large body of another media type may be refused for either reason first.
    const refusals = media === "application/json" ? ["payload_too_large"] : ["payload_too_large", "unsupported_media_type"];
    expect(refusals, `${bytes} bytes of ${media || "no media type"}`).toContain(code);
    return;
  }
  expect(code, `${bytes} bytes`).not.toBe("payload_too_large");
  if (media === "application/json") expect(code).not.toBe("unsupported_media_type");
  else if (bytes > 0) expect(code).toBe("unsupported_media_type");
  if (kase.probe) {
    const answer = problem ? `${problem.code} ${JSON.stringify(problem.errors ?? [])}` : "success";
    expect(names(problem, kase.probe.path), `${route.path}: ${kase.probe.path} must be ${kase.probe.ok ? "accepted" : "refused"}, answer ${answer}`).toBe(
      !kase.probe.ok,
    );
  }
  if (kase.bytes !== undefined && media === "application/json") expect(names(problem, "pad"), "an unknown field is named").toBe(true);
}
