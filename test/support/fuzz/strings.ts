// Strings for fuzzing: any Unicode code point, the ones that break naive code
// (NUL, bidi controls, lone surrogates, emoji sequences, case mappings that
// change the length), and strings of an exact length or UTF-8 size, to reach
// every limit of docs/API.md from both sides.
import fc from "fast-check";

/** Characters that have broken parsers, loggers and header writers before. */
const NASTY = [
  "\u0000", // NUL
  "\u200f", // right-to-left mark
  "\u202e", // right-to-left override
  "\u2066", // left-to-right isolate
  "\ufeff", // byte order mark
  "\u00a0", // no-break space (trimmed by String.prototype.trim)
  "\u2028", // line separator (a line break in some JSON readers)
  "\r\n",
  "\t",
  "\u0301", // a combining mark on its own
  "İ", // lower-cases to two code units
  "ß", // upper-cases to two letters
  "\u{1F469}\u200d\u{1F4BB}", // one grapheme of three code points
  "\u{1F600}",
  "\ud800", // lone high surrogate
  "\udfff", // lone low surrogate
  "%",
  "\\",
  '"',
  "</script>",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder is one of the fuzzed inputs.
  "${x}",
  "\u001b[31m",
];

/** One unit of generated text: mostly any code point, often a nasty one. */
export const unit: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }) },
);

/** Short generated text of any Unicode. */
export const text = (maxLength = 24) => fc.string({ unit, maxLength });

/** A non-empty chunk to build long strings from. */
const chunk = (filter: (s: string) => string = (s) => s) =>
  fc.string({ unit, minLength: 1, maxLength: 8 }).map((s) => filter(s) || "c");

/** Whitespace taken out (for codes: `\S` only). */
export const noSpace = (s: string) => s.replace(/\s/g, "");

/** Code points: docs/API.md's "characters" (a lone surrogate counts as one). */
export const codePoints = (s: string) => Array.from(s);

/** Exactly `length` characters (code points), from a generated chunk repeated. */
export const ofLength = (length: number, filter?: (s: string) => string) =>
  chunk(filter).map((c) => {
    const points = codePoints(c);
    return Array.from({ length: Math.max(0, length) }, (_, i) => points[i % points.length]).join("");
  });

/** A length on either side of `limit`: limit-2 .. limit+2. */
export const around = (limit: number) => fc.integer({ min: Math.max(0, limit - 2), max: limit + 2 });

const utf8 = new TextEncoder();
/** Bytes of a string as UTF-8 (lone surrogates count as U+FFFD, as the encoder writes them). */
export const byteLength = (s: string) => utf8.encode(s).byteLength;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Lone surrogates written as \uXXXX: a report must travel as UTF-8 (the pool's WebSocket refuses anything else). */
export const printable = (s: string) => s.replace(LONE_SURROGATE, (c) => `\\u${c.charCodeAt(0).toString(16)}`);

/** A well-formed multi-byte chunk (its JSON size is then the sum of its parts). */
const wellFormedChunk = fc
  .string({ unit: fc.oneof(fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), fc.constantFrom(...NASTY)), minLength: 1, maxLength: 4 })
  .filter((s) => printable(s) === s);

/** `base` plus a `pad` field, serialised to exactly `bytes` bytes of UTF-8. */
export const bodyOfBytes = (base: Record<string, unknown>, bytes: number) =>
  wellFormedChunk.map((piece) => {
    const room = bytes - byteLength(JSON.stringify({ ...base, pad: "" }));
    const pieceBytes = byteLength(JSON.stringify(piece)) - 2;
    const repeats = Math.max(0, Math.floor((room * 0.9) / pieceBytes));
    const pad = piece.repeat(repeats);
    return JSON.stringify({ ...base, pad: pad + "x".repeat(room - repeats * pieceBytes) });
  });
