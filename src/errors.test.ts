import { describe, expect, it } from "vitest";
import { AuthError, ERRORS, type ErrorCode, internalError } from "./errors";

const problemOf = async (err: AuthError) => (await err.getResponse().json()) as Record<string, unknown>;

describe("AuthError", () => {
  it.each(Object.keys(ERRORS) as ErrorCode[])("answers %s with its own status and detail when the thrower gives none", async (code) => {
    const err = new AuthError(code);
    const [status, detail] = ERRORS[code];
    expect(detail).not.toBe("");
    expect(err.getResponse().status).toBe(status);
    expect(await problemOf(err)).toMatchObject({ code, status, detail });
  });

  it("keeps the thrower's detail and options when given", async () => {
    const err = new AuthError("validation_failed", "Specific.", { status: 422, headers: { "X-A": "1" }, errors: [{ path: "p", message: "m" }] });
    expect(err.getResponse().headers.get("X-A")).toBe("1");
    expect(await problemOf(err)).toMatchObject({ code: "validation_failed", status: 422, detail: "Specific.", errors: [{ path: "p" }] });
  });

  it("takes options without a detail", async () => {
    const err = new AuthError("too_many_requests", { headers: { "Retry-After": "42" } });
    expect(err.getResponse().headers.get("Retry-After")).toBe("42");
    expect((await problemOf(err)).detail).toBe(ERRORS.too_many_requests[1]);
  });

  it("logs only an Error's name as the cause of a 500, and never answers with it", async () => {
    const err = internalError(new TypeError("upstream said: secret-value"));
    expect(err.cause).toEqual({ reason: "TypeError" });
    const text = await err.getResponse().text();
    expect(text).not.toContain("TypeError");
    expect(text).not.toContain("secret-value");
  });
});
