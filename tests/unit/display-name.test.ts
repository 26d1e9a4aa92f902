import { describe, expect, test } from "vitest";
import { displayName } from "../../app/models/signatures.server";

describe("displayName: a signer's name as they chose to show it", () => {
  test("a signer who chose their full name is shown in full", () => {
    expect(displayName("Ada Lovelace", "full")).toBe("Ada Lovelace");
  });

  test("a signer who chose first name and initial is shown with the initial of their last name", () => {
    expect(displayName("Ada Lovelace", "first_initial")).toBe("Ada L.");
    expect(displayName("Ada King Lovelace", "first_initial")).toBe("Ada L.");
    expect(displayName("  Ada   lovelace ", "first_initial")).toBe("Ada L.");
    expect(displayName("Zoë Ørsted", "first_initial")).toBe("Zoë Ø.");
  });

  test("a signer with a single name who chose first name and initial is shown by that name", () => {
    expect(displayName("Cher", "first_initial")).toBe("Cher");
  });

  test("a signer who chose not to be shown is not named at all", () => {
    expect(displayName("Ada Lovelace", "hidden")).toBeNull();
  });
});
