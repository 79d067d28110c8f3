import { describe, expect, it } from "vitest";
import { ConfigError } from "../config";
import { MAX_SESSIONS, sessionSettings } from "./settings";

// A new env object per case: settings are held per env.
const settingsOf = (value?: string) => sessionSettings(value === undefined ? {} : { SESSION_LIMIT: value });

describe("SESSION_LIMIT", () => {
  it("defaults to MAX_SESSIONS, unset or empty", () => {
    expect(settingsOf()).toEqual({ limit: MAX_SESSIONS });
    expect(settingsOf(" ")).toEqual({ limit: MAX_SESSIONS });
  });

  it("takes a whole number from 1 to MAX_SESSIONS", () => {
    expect(settingsOf("1")).toEqual({ limit: 1 });
    expect(settingsOf(" 5 ")).toEqual({ limit: 5 });
    expect(settingsOf(String(MAX_SESSIONS))).toEqual({ limit: MAX_SESSIONS });
  });

  it("is a ConfigError naming it otherwise", () => {
    for (const value of ["0", "-1", "2.5", "lots", "1e2x", "1e1", String(MAX_SESSIONS + 1), "0x10", "0010"]) {
      expect(() => settingsOf(value), value).toThrow(ConfigError);
      try {
        settingsOf(value);
      } catch (err) {
        expect((err as ConfigError).variables).toEqual(["SESSION_LIMIT"]);
      }
    }
  });
});
