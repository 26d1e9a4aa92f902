import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { canonicalEmail } from "../../app/lib/canonical-email";
import { isCountryCode } from "../../app/lib/countries";
import { PETITION_LIMITS, PetitionDraftForm, petitionSubmission } from "../../app/schemas/petition.server";
import { SIGNATURE_LIMITS, SignatureForm } from "../../app/schemas/signature.server";
import { BATTERY } from "../helpers/hostile";

/*
 * Property-based fuzzing of what people type into the signing form and the
 * petition form. The schemas are the only thing between a request body and
 * the database, so for any input at all they must answer (never throw), and
 * anything they accept must already be clean: no control characters, no bidi
 * controls (the "Trojan Source" characters that reorder what a reader sees),
 * no lone surrogates (which are not text at all), within the limits.
 */

const RUNS = { numRuns: 1_000 };

// Characters that have caused trouble somewhere: controls, bidi controls, invisible and
// zero-width characters, exotic whitespace, surrogates alone and in pairs, HTML's specials,
// characters whose case or normalisation changes their length.
const NASTY = [
  "\u0000",
  "\u0007",
  "\u0008",
  "\t",
  "\n",
  "\r",
  "\u000b",
  "\u000c",
  "\u001b",
  "\u007f",
  "\u0085",
  "\u009f",
  "\u00a0",
  "\u00ad",
  "\u034f",
  "\u061c",
  "\u115f",
  "\u1680",
  "\u180e",
  "\u200b",
  "\u200c",
  "\u200d",
  "\u200e",
  "\u200f",
  "\u2028",
  "\u2029",
  "\u202a",
  "\u202b",
  "\u202c",
  "\u202d",
  "\u202e",
  "\u2060",
  "\u2066",
  "\u2067",
  "\u2068",
  "\u2069",
  "\u3000",
  "\u3164",
  "\ufe0f",
  "\ufeff",
  "\ufffd",
  "\ud800",
  "\udbff",
  "\udc00",
  "\udfff",
  "\ud83d\ude00",
  "<",
  ">",
  '"',
  "'",
  "&",
  ";",
  "-",
  "=",
  "(",
  ")",
  "[",
  "]",
  ":",
  "/",
  "\\",
  "@",
  "+",
  ".",
  ",",
  "_",
  " ",
  "a",
  "Z",
  "0",
  "9",
  "é",
  "e\u0301",
  "ß",
  "İ",
  "ı",
  "ﬃ",
  "\u0958",
  "\u1e9e",
  "Ω",
  "日",
];

const nastyChar = fc.constantFrom(...NASTY);

/** Strings of every kind: any UTF-16 (lone surrogates included), any Unicode, and mixes of the nasty characters above. */
const anyText = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: "binary", maxLength }),
    fc.string({ unit: "grapheme", maxLength }),
    fc.string({ unit: nastyChar, maxLength }),
    fc
      .tuple(
        fc.string({ unit: "grapheme-ascii", maxLength: maxLength / 2 }),
        fc.string({ unit: nastyChar, maxLength: 8 }),
      )
      .map(([a, b]) => `${b}${a}${b}`),
  );

/** The battery the integration tests send over HTTP, and its nastiest characters on their own. */
const HOSTILE_TEXT = [
  ...BATTERY.map((p) => p.value),
  "\u0000\u0007\u001b",
  "\u202e\u2066",
  "\u200b\u200c\u200d\ufeff",
  "\ud800",
];
const hostile = fc.constantFrom(...HOSTILE_TEXT);

// Characters that show as nothing: text made only of these must count as empty.
const INVISIBLE = [
  " ",
  "\u00a0",
  "\u3000",
  "\t",
  "\u0000",
  "\u0007",
  "\u00ad",
  "\u034f",
  "\u061c",
  "\u115f",
  "\u1160",
  "\u180e",
  "\u200b",
  "\u200c",
  "\u200d",
  "\u200e",
  "\u200f",
  "\u202e",
  "\u2060",
  "\u2066",
  "\u3164",
  "\ufe0f",
  "\ufeff",
];
const invisibleText = (maxLength: number) => fc.string({ unit: fc.constantFrom(...INVISIBLE), maxLength });

/** Proper text with nasty characters slipped in here and there: most of it should be accepted, cleaned. */
const sprinkled = (base: string) =>
  fc
    .array(fc.tuple(fc.nat({ max: base.length }), fc.string({ unit: nastyChar, minLength: 1, maxLength: 3 })), {
      maxLength: 5,
    })
    .map((inserts) => inserts.reduce((text, [at, bit]) => text.slice(0, at) + bit + text.slice(at), base));

/**
 * What a field of a form might hold: mostly proper text, often with nasty characters slipped in (so that
 * enough forms pass for the properties about accepted forms to mean something), sometimes anything at all.
 */
const fieldText = (maxLength: number, proper: string) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant(proper) },
    { weight: 4, arbitrary: sprinkled(proper) },
    { weight: 1, arbitrary: invisibleText(maxLength) },
    {
      weight: 1,
      arbitrary: fc.tuple(invisibleText(8), invisibleText(maxLength)).map(([a, b]) => `${a}${proper.slice(0, 1)}${b}`),
    },
    { weight: 2, arbitrary: anyText(maxLength) },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  );

/** Usually one of the proper values, sometimes anything. */
const mostly = <T>(proper: fc.Arbitrary<T>, other: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 5, arbitrary: proper }, { weight: 1, arbitrary: other });

/** A value of any type at all, as a JSON body or a badly built object might give. */
const anyValue = fc.oneof(fc.anything(), anyText(200), hostile);

/** Length as zod measures it, and as a person counts: in code points (an emoji is one character, not two UTF-16 units). */
const chars = (s: string) => [...s].length;

const CONTROL = /\p{Cc}/u;
const BIDI_CONTROL = /\p{Bidi_Control}/u;
const LONE_SURROGATE = /\p{Cs}/u;
/** Something a reader can see: not whitespace, and not one of the characters that render as nothing. */
const VISIBLE = /[^\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cs}]/u;

/** One line of clean text: what a name, title or postcode must be once accepted. */
function expectCleanLine(value: string, what: string) {
  expect(value, `${what} has a control character: ${JSON.stringify(value)}`).not.toMatch(CONTROL);
  expect(value, `${what} has a bidi control: ${JSON.stringify(value)}`).not.toMatch(BIDI_CONTROL);
  expect(value, `${what} has a lone surrogate: ${JSON.stringify(value)}`).not.toMatch(LONE_SURROGATE);
  expect(value, `${what} is not trimmed: ${JSON.stringify(value)}`).toBe(value.trim());
}

/** Clean Markdown: as a line, except that it keeps newlines and tabs. */
function expectCleanBlock(value: string, what: string) {
  expect(value, `${what} has a control character: ${JSON.stringify(value)}`).not.toMatch(/[^\P{Cc}\n\t]/u);
  expect(value, `${what} has a bidi control: ${JSON.stringify(value)}`).not.toMatch(BIDI_CONTROL);
  expect(value, `${what} has a lone surrogate: ${JSON.stringify(value)}`).not.toMatch(LONE_SURROGATE);
}

describe("the signing form, fuzzed", () => {
  const signing = fc.record({
    name: fieldText(120, "Ada Lovelace"),
    email: mostly(
      fc.oneof(fc.emailAddress(), fc.constant("ada@example.org")),
      fc.oneof(anyText(40), hostile, fc.constant(undefined)),
    ),
    country: mostly(
      fc.constantFrom("GB", "gb", " ie ", "Fr", "ıe"),
      fc.oneof(fc.constantFrom("ZZ", "", "G\u0000B", "\u202eGB", undefined), anyText(4)),
    ),
    postcode: fc.oneof(fieldText(24, "L1 8JQ"), fc.constant(undefined)),
    nameDisplay: mostly(fc.constantFrom("full", "first_initial", "hidden", undefined), anyText(12)),
    updates: mostly(fc.constantFrom("yes", undefined), fc.oneof(fc.constantFrom("no", "YES", ""), anyText(4))),
    website: mostly(fc.constant(""), anyText(10)),
  });

  test("whatever arrives, the schema answers without throwing", () => {
    fc.assert(
      fc.property(fc.oneof(anyValue, signing, fc.dictionary(fc.string(), anyValue)), (input) => {
        const result = SignatureForm.safeParse(input);
        expect(typeof result.success).toBe("boolean");
      }),
      RUNS,
    );
  });

  test("whatever it accepts is a clean, visible name, a real country and a short postcode", () => {
    let accepted = 0;
    fc.assert(
      fc.property(signing, (input) => {
        const result = SignatureForm.safeParse(input);
        if (!result.success) return;
        accepted += 1;
        const { name, email, country, postcode, nameDisplay, updates } = result.data;
        expect(chars(name)).toBeGreaterThanOrEqual(1);
        expect(chars(name)).toBeLessThanOrEqual(SIGNATURE_LIMITS.name);
        expectCleanLine(name, "name");
        expect(name, `name has nothing visible: ${JSON.stringify(name)}`).toMatch(VISIBLE);
        expect(name, "name has runs of spaces").not.toMatch(/\s\s/);

        expect(chars(email)).toBeLessThanOrEqual(SIGNATURE_LIMITS.email);
        expectCleanLine(email, "email");
        expect(email).toMatch(/^[^\s@]+@[^\s@]+$/);

        expect(country).toMatch(/^[A-Z]{2}$/);
        expect(isCountryCode(country)).toBe(true);

        if (postcode !== null) {
          expect(chars(postcode)).toBeGreaterThanOrEqual(1);
          expect(chars(postcode)).toBeLessThanOrEqual(SIGNATURE_LIMITS.postcode);
          expectCleanLine(postcode, "postcode");
        }
        expect(["full", "first_initial", "hidden"]).toContain(nameDisplay);
        expect(typeof updates).toBe("boolean");
      }),
      RUNS,
    );
    // The property says nothing if almost nothing passes.
    expect(accepted).toBeGreaterThan(RUNS.numRuns / 20);
  });

  test("a hostile name is kept as text, not refused: escaping is the page's job", () => {
    for (const name of ["<script>alert(1)</script>", "' OR '1'='1", "[x](javascript:alert(1))"]) {
      expect(SignatureForm.parse({ name, email: "ada@example.org", country: "GB" }).name).toBe(name);
    }
  });
});

describe("canonicalEmail, fuzzed", () => {
  const addresses = fc.oneof(
    fc.emailAddress(),
    fc.emailAddress().map((a) => a.replace(/@.*/, "@gmail.com")),
    fc.emailAddress().map((a) => a.replace(/@.*/, "@GoogleMail.COM")),
    fc
      .tuple(
        fc.string({ unit: fc.constantFrom("a", "B", ".", "+", "-", "_"), minLength: 1, maxLength: 12 }),
        fc.constantFrom("gmail.com", "example.org"),
      )
      .map(([local, domain]) => `${local}@${domain}`),
    anyText(40),
  );

  test("is idempotent: the canonical form of a canonical form is itself", () => {
    fc.assert(
      fc.property(addresses, (a) => {
        const once = canonicalEmail(a);
        expect(canonicalEmail(once)).toBe(once);
      }),
      RUNS,
    );
  });

  test("ignores case and surrounding whitespace", () => {
    // Case-insensitive wherever case is reversible; ß → SS and İ → i̇ change the letters themselves, not just their case.
    const reversible = (s: string) => s.toUpperCase().toLowerCase() === s.toLowerCase();
    fc.assert(
      fc.property(addresses.filter(reversible), fc.constantFrom("", " ", "\t", "\n "), (a, pad) => {
        const canonical = canonicalEmail(a);
        expect(canonicalEmail(a.toUpperCase())).toBe(canonical);
        expect(canonicalEmail(a.toLowerCase())).toBe(canonical);
        expect(canonicalEmail(`${pad}${a}${pad}`)).toBe(canonical);
        expect(canonical).toBe(canonical.toLowerCase());
      }),
      RUNS,
    );
  });

  test("two spellings of one Gmail mailbox meet", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9]{1,8}(\.[a-z0-9]{1,8}){0,3}$/),
        fc.stringMatching(/^[a-z0-9]{0,6}$/),
        (local, tag) => {
          const plain = canonicalEmail(`${local.replaceAll(".", "")}@gmail.com`);
          expect(canonicalEmail(`${local}${tag ? `+${tag}` : ""}@googlemail.com`)).toBe(plain);
          expect(canonicalEmail(`${local.toUpperCase()}@GMAIL.COM`)).toBe(plain);
        },
      ),
      RUNS,
    );
  });
});

describe("the petition form, fuzzed", () => {
  const today = new Date();
  const submission = petitionSubmission(today);
  const maker = fc.record({
    name: fieldText(130, "Riverside Borough Council"),
    role: mostly(fieldText(170, "Cabinet Member for Culture"), fc.constant(undefined)),
  });
  const inAFewMonths = fc
    .integer({ min: 1, max: 360 })
    .map((days) => new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10));
  const draft = fc.record({
    title: fieldText(130, "Keep the Riverside Library open on Sundays"),
    summary: fieldText(320, "The library is the only warm, quiet place in the ward on a Sunday."),
    body: fc.oneof(
      fieldText(
        400,
        "Families, students and older people rely on the Riverside Library.\r\n\r\nClosing it leaves them nowhere.",
      ),
      hostile.map((h) => `${h}\n\n${"Families rely on the library. ".repeat(3)}${h}`),
    ),
    decisionMakers: mostly(fc.array(maker, { minLength: 1, maxLength: 6 }), anyValue),
    goal: mostly(
      fc.constantFrom("", "100", "1,000", " 250 ", "10 000"),
      fc.oneof(fc.constantFrom("9", "10000001", "1e5", "-50", "0x10"), anyText(10), fc.nat().map(String)),
    ),
    closesOn: mostly(
      fc.oneof(fc.constant(""), inAFewMonths),
      fc.oneof(
        fc.constantFrom("2027-02-30", "not a date", "2027-5-31", "9999-12-31", undefined),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
        anyText(12),
      ),
    ),
  });

  function expectCleanDraft(data: ReturnType<typeof PetitionDraftForm.parse>) {
    expect(chars(data.title)).toBeLessThanOrEqual(PETITION_LIMITS.title.max);
    expectCleanLine(data.title, "title");
    expect(chars(data.summary)).toBeLessThanOrEqual(PETITION_LIMITS.summary.max);
    expectCleanLine(data.summary, "summary");
    expect(chars(data.body)).toBeLessThanOrEqual(PETITION_LIMITS.body.max);
    expectCleanBlock(data.body, "body");
    expect(data.body).not.toContain("\r");
    expect(data.decisionMakers.length).toBeLessThanOrEqual(PETITION_LIMITS.makers.max);
    for (const m of data.decisionMakers) {
      expect(chars(m.name)).toBeLessThanOrEqual(PETITION_LIMITS.makerName.max);
      expect(chars(m.role)).toBeLessThanOrEqual(PETITION_LIMITS.makerRole.max);
      expectCleanLine(m.name, "decision maker's name");
      expectCleanLine(m.role, "decision maker's role");
    }
    if (data.goal !== null) {
      // A draft keeps a goal still being typed (the smallest goal is checked on submission), never a negative one.
      expect(Number.isSafeInteger(data.goal)).toBe(true);
      expect(data.goal).toBeGreaterThanOrEqual(0);
      expect(data.goal).toBeLessThanOrEqual(PETITION_LIMITS.goal.max);
    }
    if (data.closesOn !== null) {
      expect(data.closesOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(new Date(`${data.closesOn}T00:00:00Z`).toISOString().slice(0, 10)).toBe(data.closesOn);
    }
  }

  test("whatever arrives, both schemas answer without throwing", () => {
    fc.assert(
      fc.property(fc.oneof(anyValue, draft, fc.dictionary(fc.string(), anyValue)), (input) => {
        expect(typeof PetitionDraftForm.safeParse(input).success).toBe("boolean");
        expect(typeof submission.safeParse(input).success).toBe("boolean");
      }),
      RUNS,
    );
  });

  test("a saved draft is clean and within the limits, however incomplete", () => {
    let accepted = 0;
    fc.assert(
      fc.property(draft, (input) => {
        const result = PetitionDraftForm.safeParse(input);
        if (!result.success) return;
        accepted += 1;
        expectCleanDraft(result.data);
      }),
      RUNS,
    );
    expect(accepted).toBeGreaterThan(RUNS.numRuns / 20);
  });

  test("a submitted petition is clean, complete, visible, and closes within twelve months", () => {
    let accepted = 0;
    fc.assert(
      fc.property(draft, (input) => {
        const result = submission.safeParse(input);
        if (!result.success) return;
        accepted += 1;
        const data = result.data;
        expectCleanDraft(data);
        expect(chars(data.title)).toBeGreaterThanOrEqual(PETITION_LIMITS.title.min);
        expect(chars(data.summary)).toBeGreaterThanOrEqual(PETITION_LIMITS.summary.min);
        expect(chars(data.body)).toBeGreaterThanOrEqual(PETITION_LIMITS.body.min);
        expect(data.decisionMakers.length).toBeGreaterThanOrEqual(1);
        for (const text of [data.title, data.summary, data.body, ...data.decisionMakers.map((m) => m.name)]) {
          expect(text, `nothing visible in ${JSON.stringify(text)}`).toMatch(VISIBLE);
        }
        if (data.closesOn !== null) {
          expect(data.closesOn > today.toISOString().slice(0, 10)).toBe(true);
        }
        if (data.goal !== null) expect(data.goal).toBeGreaterThanOrEqual(PETITION_LIMITS.goal.min);
      }),
      RUNS,
    );
    expect(accepted).toBeGreaterThan(0);
  });
});
