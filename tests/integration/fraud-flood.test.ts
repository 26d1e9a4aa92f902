import { afterAll, beforeAll, expect, test } from "vitest";
import { hashClientAddress } from "../../app/lib/client-address.server";
import { DEFAULT_SIGNING_LIMITS, type Limit } from "../../app/lib/signing-limits";
import { countMatches, trendingSources } from "../../app/models/fraud.server";
import { recountAll } from "../../app/models/counts.server";
import { confirm } from "../../app/services/signing.server";
import { startTestApp, type TestApp } from "../helpers/app";
import { withoutTextSeparators } from "../helpers/html";
import { browser, signedIn } from "../helpers/session";
import { countsFor, getPetition, OPEN_SLUG, signingForm, tokenIn } from "../helpers/signing";

/*
 * A flood: 5,000 signatures onto one campaign from one /24, each address in it
 * used about twenty times, every one with its own address on a throwaway
 * domain that can confirm, while twenty real people from other networks sign
 * in the same minutes. The real limits are on: they flag, they do not hold
 * (docs/decisions/0010-fraud-defences.md). Afterwards a moderator finds the
 * flood in the trending list, checks how many of its signatures count,
 * invalidates them, and undoes it again.
 */

const FLOOD = 5_000;
const REAL = 20;
const CONCURRENCY = 10;
const FLOOD_DOMAIN = "fastmail-throwaway.test";
const REAL_DOMAINS = ["gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com", "proton.me"];
const REAL_COUNTRIES = ["GB", "IE", "FR", "DE", "US"];

const asEnv = (l: Limit) => `${l.points}/${l.seconds}`;
/** The defaults of app/lib/signing-limits.ts, written as their environment variables: what production runs with. */
const REAL_LIMITS = {
  LIMIT_ADDRESS_BURST: asEnv(DEFAULT_SIGNING_LIMITS.addressPerPetitionBurst),
  LIMIT_ADDRESS: asEnv(DEFAULT_SIGNING_LIMITS.addressPerPetition),
  LIMIT_NETWORK: asEnv(DEFAULT_SIGNING_LIMITS.networkPerPetition),
  LIMIT_DOMAIN: asEnv(DEFAULT_SIGNING_LIMITS.domainPerPetition),
  LIMIT_ADDRESS_SITE: asEnv(DEFAULT_SIGNING_LIMITS.addressSiteWide),
};

type Submission = { email: string; ip: string; country: string; real: boolean };

let app: TestApp;
beforeAll(async () => {
  // No mail worker: the confirmation emails stay in the outbox, where the test reads their links.
  app = await startTestApp({ worker: false, env: REAL_LIMITS });
});
afterAll(async () => {
  await app.stop();
});

/** Runs `work` over `items` with at most `n` at a time. */
async function pool<T>(items: readonly T[], n: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

function submissions(): Submission[] {
  const list: Submission[] = [];
  for (let i = 0; i < FLOOD; i++) {
    list.push({ email: `voter${i}@${FLOOD_DOMAIN}`, ip: `203.0.113.${(i % 254) + 1}`, country: "GB", real: false });
  }
  // The real signers arrive spread through the flood, each from an address of their own on other networks.
  for (let k = REAL - 1; k >= 0; k--) {
    const ip = k % 2 === 0 ? `198.51.100.${10 + k}` : `192.0.2.${10 + k}`;
    const email = `real.person${k}@${REAL_DOMAINS[k % REAL_DOMAINS.length]}`;
    list.splice(Math.floor(((k + 0.5) * FLOOD) / REAL), 0, {
      email,
      ip,
      country: REAL_COUNTRIES[k % REAL_COUNTRIES.length],
      real: true,
    });
  }
  return list;
}

test(
  "a flood from one network is flagged by the limits, found in the trending list, invalidated in bulk and restored by undo",
  { timeout: 300_000 },
  async () => {
    const petition = await getPetition(app.db, OPEN_SLUG);
    const before = await countsFor(app.db, OPEN_SLUG);
    const floodNetwork = hashClientAddress("203.0.113.1", app.config.addressSecret).networkHash!;
    const networkLimit = DEFAULT_SIGNING_LIMITS.networkPerPetition.points;

    // Everyone is told the same thing: check your email.
    const all = submissions();
    const statuses = new Map<number, number>();
    await pool(all, CONCURRENCY, async (s) => {
      const res = await fetch(new URL(`/petitions/${OPEN_SLUG}`, app.url), {
        method: "POST",
        body: new URLSearchParams(
          signingForm({
            name: s.real ? "Real Person" : "Flood Bot",
            email: s.email,
            country: s.country,
            nameDisplay: "hidden",
          }),
        ),
        headers: { "x-forwarded-for": s.ip },
        redirect: "manual",
      });
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.headers.get("location")).toBe(`/petitions/${OPEN_SLUG}/check-email`);
    });
    expect(Object.fromEntries(statuses)).toEqual({ 302: FLOOD + REAL });

    // Everyone confirms: the real signers by pressing the button in their email, the flood (for speed) through the model.
    const mails = await app.db
      .selectFrom("outbox")
      .select(["to_address", "text"])
      .where("kind", "=", "confirm-signature")
      .execute();
    expect(mails).toHaveLength(FLOOD + REAL);
    const tokenFor = new Map(mails.map((m) => [m.to_address, tokenIn(m.text)]));
    const real = all.filter((s) => s.real);
    await pool(real, CONCURRENCY, async (s) => {
      const res = await browser(app).post(`/confirm/${tokenFor.get(s.email)}`, { intent: "confirm" });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe(`/petitions/${OPEN_SLUG}/thank-you`);
    });
    let confirmed = 0;
    for (const s of all) {
      if (s.real) continue;
      expect((await confirm(app.db, tokenFor.get(s.email)!)).state).toBe("confirmed");
      // better-sqlite3 answers synchronously, so this loop never returns to the event loop by itself. Let timers
      // run now and then, so idle keep-alive connections close in order and are not reused after the server dropped them.
      if (++confirmed % 250 === 0) await new Promise((resolve) => setImmediate(resolve));
    }

    // The flood confirmed, so it counts; the limits flagged all of it past the network's first 50.
    const flood = await app.db
      .selectFrom("signatures")
      .select(["hold", "review_reason", "status", "network_hash"])
      .where("petition_id", "=", petition.id)
      .where("email_domain", "=", FLOOD_DOMAIN)
      .execute();
    expect(flood).toHaveLength(FLOOD);
    expect(flood.every((s) => s.status === "confirmed" && s.network_hash === floodNetwork)).toBe(true);
    expect(flood.every((s) => s.hold === null)).toBe(true);
    const flagged = flood.filter((s) => s.review_reason !== null).length;
    expect(flagged).toBeGreaterThanOrEqual(FLOOD - networkLimit);
    const reasons = new Map<string, number>();
    for (const s of flood) if (s.review_reason) reasons.set(s.review_reason, (reasons.get(s.review_reason) ?? 0) + 1);

    // Every real signer counts.
    const realRows = await app.db
      .selectFrom("signatures")
      .select(["email", "hold", "status"])
      .where("petition_id", "=", petition.id)
      .where(
        "email",
        "in",
        real.map((s) => s.email),
      )
      .execute();
    expect(realRows).toHaveLength(REAL);
    expect(realRows.every((s) => s.hold === null && s.status === "confirmed")).toBe(true);
    const flooded = await countsFor(app.db, OPEN_SLUG);
    expect(flooded.total).toBe(before.total + FLOOD + REAL);

    // The flood is at the top of the trending list, as a network and as a domain, with its flags; no real
    // signer's network is there.
    const trending = await trendingSources(app.db, { petitionId: petition.id, threshold: 20 });
    expect(
      trending.slice(0, 2).map((t) => [t.kind, t.value, t.total, t.counted, t.flagged, t.suspect, t.pending]),
    ).toEqual(
      expect.arrayContaining([
        ["network", floodNetwork, FLOOD, FLOOD, flagged, 0, 0],
        ["domain", FLOOD_DOMAIN, FLOOD, FLOOD, flagged, 0, 0],
      ]),
    );
    expect(trending).toHaveLength(2);

    // A moderator sees it on the petition's safety page and prepares an invalidation from it.
    const moderator = browser(app, await signedIn(app, "mo@example.org", ["moderator"]));
    const safety = `/moderate/petitions/${petition.id}/safety`;
    const page = withoutTextSeparators(await (await moderator.get(safety)).text());
    expect(page).toContain(`net ${floodNetwork.slice(0, 6)}…`);
    expect(page).toContain("Why signatures were flagged");
    const prepare = page.match(/href="([^"]*\?network=([0-9a-f]{64})#invalidate)"/);
    expect(prepare?.[2]).toBe(floodNetwork);

    // Step one: how many match, before anything runs.
    const expected = await countMatches(app.db, { petitionId: petition.id, networkHash: floodNetwork });
    expect(expected).toEqual({ matches: FLOOD, confirmed: FLOOD, pending: 0, alreadyHeld: 0 });
    const checked = withoutTextSeparators(
      await (await moderator.post(safety, { intent: "check", network: prepare![2] })).text(),
    );
    const shown = Number(checked.match(/<h3 id="check-heading">([\d,]+) signatures? match/)?.[1].replace(/,/g, ""));
    expect(shown).toBe(expected.matches);
    expect(checked).toContain(`Invalidate ${shown.toLocaleString("en-GB")} signatures`);
    expect((await countsFor(app.db, OPEN_SLUG)).total).toBe(flooded.total);

    // Step two: invalidate them. The flood no longer counts; the real signers do.
    const ran = await moderator.post(safety, { intent: "invalidate", network: floodNetwork });
    expect(ran.status).toBe(302);
    const invalidationId = Number(ran.headers.get("location")!.match(/invalidated=(\d+)/)![1]);
    const cleaned = await countsFor(app.db, OPEN_SLUG);
    expect(cleaned.total).toBe(before.total + REAL);
    const holds = await app.db
      .selectFrom("signatures")
      .select(["hold", (eb) => eb.fn.countAll<number>().as("n")])
      .where("petition_id", "=", petition.id)
      .where("email_domain", "=", FLOOD_DOMAIN)
      .groupBy("hold")
      .orderBy("hold")
      .execute();
    expect(holds.map((h) => [h.hold, Number(h.n)])).toEqual([["invalidated", FLOOD]]);
    const realAfter = await app.db
      .selectFrom("signatures")
      .select("hold")
      .where(
        "email",
        "in",
        real.map((s) => s.email),
      )
      .execute();
    expect(realAfter.every((s) => s.hold === null)).toBe(true);
    expect(await recountAll(app.db)).toEqual([]);
    expect(await countsFor(app.db, OPEN_SLUG)).toEqual(cleaned);

    // Undo puts everything back as it was.
    const undone = await moderator.post(safety, { intent: "undo", invalidationId: String(invalidationId) });
    expect(undone.status).toBe(302);
    expect(await countsFor(app.db, OPEN_SLUG)).toEqual(flooded);
    expect(await recountAll(app.db)).toEqual([]);
    expect(await countsFor(app.db, OPEN_SLUG)).toEqual(flooded);

    console.info(
      `flood: ${FLOOD} from one /24 → ${flagged} flagged (${[...reasons].map(([r, n]) => `${n} ${r}`).join("; ")}); ` +
        `${REAL}/${REAL} real signers counted; invalidation matched ${shown}`,
    );
  },
);
