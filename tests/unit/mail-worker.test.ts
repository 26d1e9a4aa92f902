import { describe, expect, test } from "vitest";
import { backoffMs, classifySmtpError } from "../../app/mail/worker.server";

describe("classifySmtpError: which failed sends are worth trying again", () => {
  test("a mail server that says 'try later' (4xx) gets the message again", () => {
    const result = classifySmtpError(Object.assign(new Error("Greylisted"), { responseCode: 451, code: "EMESSAGE" }));
    expect(result.permanent).toBe(false);
    expect(result.error).toBe("EMESSAGE 451: Greylisted");
  });

  test("a mail server that refuses for good (5xx) is not asked again", () => {
    const result = classifySmtpError(
      Object.assign(new Error("No such user"), { responseCode: 550, code: "EENVELOPE" }),
    );
    expect(result.permanent).toBe(true);
    expect(result.error).toContain("550");
    expect(result.error).toContain("No such user");
  });

  test("a recipient refused for now (4xx on RCPT) is still retried", () => {
    expect(
      classifySmtpError(Object.assign(new Error("Mailbox busy"), { responseCode: 452, code: "EENVELOPE" })).permanent,
    ).toBe(false);
  });

  test("an address refused before any server saw it is not retried", () => {
    expect(classifySmtpError(Object.assign(new Error("No recipients defined"), { code: "EENVELOPE" })).permanent).toBe(
      true,
    );
  });

  test("network trouble is retried", () => {
    for (const code of ["ECONNREFUSED", "ETIMEDOUT", "ECONNECTION", "ESOCKET"]) {
      expect(classifySmtpError(Object.assign(new Error("network"), { code })).permanent).toBe(false);
    }
    expect(classifySmtpError(new Error("something odd")).error).toBe("Error: something odd");
  });

  test("the error kept for the operator is cut to a sensible length", () => {
    expect(classifySmtpError(Object.assign(new Error("x".repeat(5000)), { responseCode: 421 })).error.length).toBe(
      1000,
    );
  });
});

describe("backoffMs: how long a temporary failure waits", () => {
  test("each retry waits twice as long as the one before", () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, 30_000, 6 * 3600_000))).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000,
    ]);
  });

  test("the wait never passes the cap", () => {
    expect(backoffMs(20, 30_000, 6 * 3600_000)).toBe(6 * 3600_000);
    expect(backoffMs(1_000, 30_000, 6 * 3600_000)).toBe(6 * 3600_000);
  });

  test("a message not yet attempted waits the base time", () => {
    expect(backoffMs(0, 1_000, 10_000)).toBe(1_000);
  });
});
