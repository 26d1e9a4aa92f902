import { describe, expect, test } from "vitest";
import { canonicalEmail } from "../../app/lib/canonical-email";

describe("canonicalEmail: one signature per mailbox", () => {
  test("a signer who types spaces and capitals around their address is the same signer", () => {
    expect(canonicalEmail("  Ada.Lovelace@Example.ORG \n")).toBe("ada.lovelace@example.org");
  });

  test("a signer who adds a +tag is the same signer", () => {
    expect(canonicalEmail("ada+petitions@example.org")).toBe("ada@example.org");
    expect(canonicalEmail("ada+one+two@example.org")).toBe("ada@example.org");
  });

  test("a Gmail user who moves the dots around is the same signer", () => {
    expect(canonicalEmail("grace.hopper@gmail.com")).toBe("gracehopper@gmail.com");
    expect(canonicalEmail("G.r.a.c.e.Hopper@Gmail.com")).toBe("gracehopper@gmail.com");
  });

  test("a Googlemail address folds into the same Gmail mailbox", () => {
    expect(canonicalEmail("grace.hopper+x@googlemail.com")).toBe("gracehopper@gmail.com");
    expect(canonicalEmail("gracehopper@googlemail.com")).toBe(canonicalEmail("grace.hopper@gmail.com"));
  });

  test("dots elsewhere are kept: they can be different people", () => {
    expect(canonicalEmail("ada.lovelace@example.org")).toBe("ada.lovelace@example.org");
    expect(canonicalEmail("ada.lovelace@example.org")).not.toBe(canonicalEmail("adalovelace@example.org"));
    expect(canonicalEmail("grace.hopper@mail.gmail.com.example")).toBe("grace.hopper@mail.gmail.com.example");
  });

  test("an address that is all tag keeps its local part rather than becoming empty", () => {
    expect(canonicalEmail("+tag@example.org")).toBe("+tag@example.org");
  });
});
