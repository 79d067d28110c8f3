import { describe, expect, it } from "vitest";
import { SessionShape } from "./session-shape";

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[\w-]+$/;

/** A session like Cognito's: a constant header, random base64, padding. */
const cognitoLike = (header: string) => `${header}${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(70))))}`;

describe("SessionShape", () => {
  it("makes 64 characters of base64 before it has seen a session", () => {
    expect(new SessionShape().make()).toMatch(/^[A-Za-z0-9+/]{64}$/);
  });

  it("takes the last session's length, padding and alphabet", () => {
    const shape = new SessionShape();
    const session = cognitoLike("");
    shape.learn(session);
    const made = shape.make();
    expect(made).toHaveLength(session.length);
    expect(made.endsWith("==")).toBe(session.endsWith("=="));
    expect(made).toMatch(BASE64);
    shape.learn("AbC-_".repeat(20));
    expect(shape.make()).toMatch(BASE64URL);
    expect(shape.make()).toHaveLength(100);
  });

  it("keeps the header Cognito's sessions share, and only that: a made session never repeats a real one", () => {
    const shape = new SessionShape();
    const seen = [cognitoLike("AYABeC"), cognitoLike("AYABeC"), cognitoLike("AYABeC")];
    for (const session of seen) shape.learn(session);
    for (let i = 0; i < 20; i++) {
      const made = shape.make();
      expect(made.startsWith("AYABeC")).toBe(true);
      expect(seen).not.toContain(made);
    }
    // One session seen, or the same one twice: at most 16 characters of it are kept.
    const once = new SessionShape();
    once.learn(seen[0]);
    expect(once.make()).not.toBe(seen[0]);
    once.learn(seen[0]);
    expect(once.make().slice(0, 16)).toBe(seen[0].slice(0, 16));
    expect(once.make()).not.toBe(seen[0]);
  });
});
