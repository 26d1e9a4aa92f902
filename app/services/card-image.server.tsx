import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { LRUCache } from "lru-cache";
import satori from "satori";
import sharp from "sharp";
import type { DB } from "../../db/connection";
import { goalFor } from "../lib/goal";
import { formatCount } from "../lib/time";
import { getImageForViewer } from "../models/image.server";
import { getPublicPetitionBySlug } from "../models/petition.server";
import { PUBLISHED_STATES } from "../models/petition-lifecycle.server";

/**
 * The share card of a campaign: a 1200×630 PNG that social sites and chat apps show beside a link
 * (og:image). Made with satori (layout and text to SVG, with the Inter font shipped in an npm package, so
 * no system font is needed) and rasterized by sharp. A card shows the count rounded down to a step
 * (cardCount), so it is made again only when the count passes a step, its title or cover changes; made
 * cards are kept in memory (docs/decisions/0030-widget-and-cards.md).
 */

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;

/** Around 200 cards of 30-120 KB each: a few MB at most. */
const cards = new LRUCache<string, Promise<Buffer>>({ max: 200 });

const require = createRequire(import.meta.url);
let fonts: Promise<{ name: string; data: Buffer; weight: 400 | 700; style: "normal" }[]> | null = null;

function loadFonts() {
  fonts ??= (async () => {
    const dir = path.join(path.dirname(require.resolve("@fontsource/inter/package.json")), "files");
    const files: [string, 400 | 700][] = [
      ["inter-latin-400-normal.woff", 400],
      ["inter-latin-700-normal.woff", 700],
      ["inter-latin-ext-400-normal.woff", 400],
      ["inter-latin-ext-700-normal.woff", 700],
    ];
    return Promise.all(
      files.map(async ([file, weight]) => ({
        name: "Inter",
        data: await fs.promises.readFile(path.join(dir, file)),
        weight,
        style: "normal" as const,
      })),
    );
  })();
  return fonts;
}

/**
 * The count a card shows: exact below 100, then rounded down to its two leading digits (1,234 shows as
 * 1,200+). A campaign growing by thousands a day makes a new card a few dozen times, not per signature.
 */
export function cardCount(count: number): number {
  if (count < 100) return count;
  const step = 10 ** (Math.floor(Math.log10(count)) - 1);
  return Math.floor(count / step) * step;
}

export type CardFacts = {
  title: string;
  decisionMakers: { name: string; role: string | null }[];
  /** Already rounded (cardCount); null on the site's own card. */
  count: number | null;
  exact: boolean;
  goal: number | null;
  /** The cover as a data: URL, resized to the card. */
  cover: string | null;
};

/** The card's PNG for these facts. */
export async function renderCard(facts: CardFacts): Promise<Buffer> {
  const to = facts.decisionMakers.map((m) => (m.role ? `${m.name}, ${m.role}` : m.name)).join("; ");
  const count = facts.count;
  const countText =
    count === null
      ? null
      : `${formatCount(count)}${facts.exact ? "" : "+"} ${count === 1 ? "signature" : "signatures"}`;
  const share = facts.goal && count !== null ? Math.min(1, count / facts.goal) : 0;
  const svg = await satori(
    <div
      style={{
        width: CARD_WIDTH,
        height: CARD_HEIGHT,
        display: "flex",
        flexDirection: "column",
        justifyContent: "flex-end",
        position: "relative",
        backgroundColor: "#3f1d72",
        color: "#ffffff",
        fontFamily: "Inter",
      }}
    >
      {facts.cover ? (
        <img
          src={facts.cover}
          width={CARD_WIDTH}
          height={CARD_HEIGHT}
          style={{ position: "absolute", top: 0, left: 0, objectFit: "cover" }}
          alt=""
        />
      ) : null}
      <div
        style={{
          position: "absolute",
          top: 0,
          left: 0,
          width: CARD_WIDTH,
          height: CARD_HEIGHT,
          display: "flex",
          backgroundImage: facts.cover
            ? "linear-gradient(180deg, rgba(27,12,52,0.15) 0%, rgba(27,12,52,0.92) 60%)"
            : "linear-gradient(135deg, #5a2ca0 0%, #2b1152 100%)",
        }}
      />
      <div style={{ display: "flex", flexDirection: "column", padding: "56px 64px", position: "relative" }}>
        <div style={{ fontSize: 26, fontWeight: 700, letterSpacing: 2, textTransform: "uppercase", opacity: 0.85 }}>
          {count === null ? "Undersigned" : "Petition"}
        </div>
        <div
          style={{
            fontSize: facts.title.length > 80 ? 48 : 60,
            fontWeight: 700,
            lineHeight: 1.12,
            marginTop: 12,
            display: "block",
            lineClamp: 3,
          }}
        >
          {facts.title}
        </div>
        {to ? (
          <div style={{ fontSize: 28, marginTop: 18, opacity: 0.92, display: "block", lineClamp: 1 }}>To {to}</div>
        ) : null}
        {countText ? (
          <div style={{ display: "flex", alignItems: "baseline", marginTop: 32, fontSize: 36, fontWeight: 700 }}>
            {countText}
            {facts.goal ? (
              <span style={{ fontSize: 28, fontWeight: 400, marginLeft: 16, opacity: 0.9 }}>
                of {formatCount(facts.goal)}
              </span>
            ) : null}
          </div>
        ) : null}
        {facts.goal ? (
          <div
            style={{
              display: "flex",
              marginTop: 16,
              width: "100%",
              height: 22,
              borderRadius: 11,
              backgroundColor: "rgba(255,255,255,0.3)",
            }}
          >
            <div
              style={{
                width: `${Math.max(3, share * 100)}%`,
                height: 22,
                borderRadius: 11,
                backgroundColor: "#ffbf47",
              }}
            />
          </div>
        ) : null}
        <div style={{ fontSize: 24, marginTop: 24, opacity: 0.85 }}>Undersigned · sign in under a minute</div>
      </div>
    </div>,
    { width: CARD_WIDTH, height: CARD_HEIGHT, fonts: await loadFonts() },
  );
  return sharp(Buffer.from(svg)).png({ compressionLevel: 9, palette: !facts.cover }).toBuffer();
}

export type Card = { png: Buffer; etag: string };

/**
 * The card of a published campaign (open, closed or won), or undefined: a draft, one in review, a hidden
 * or rejected one has none. Made at most once per key while it stays in memory.
 */
export async function campaignCard(db: DB, slug: string): Promise<Card | undefined> {
  const petition = await getPublicPetitionBySlug(db, slug);
  if (!petition || !PUBLISHED_STATES.includes(petition.status)) return undefined;
  const count = cardCount(petition.signature_count);
  const showsGoal = petition.status === "open";
  const goal = showsGoal ? goalFor(count, petition.goal) : null;
  const makers = petition.decisionMakers.map((m) => ({ name: m.name, role: m.role }));
  const facts = JSON.stringify([petition.title, makers, goal, petition.status]);
  const key = [petition.id, count, petition.image_id ?? "", createHash("sha256").update(facts).digest("hex")].join(":");
  const etag = `"card-${createHash("sha256").update(key).digest("base64url").slice(0, 22)}"`;
  let png = cards.get(key);
  if (!png) {
    png = (async () => {
      const image = petition.image_id ? await getImageForViewer(db, petition.image_id, null) : undefined;
      const cover = image
        ? `data:image/jpeg;base64,${(
            await sharp(image.data).resize(CARD_WIDTH, CARD_HEIGHT, { fit: "cover" }).jpeg({ quality: 80 }).toBuffer()
          ).toString("base64")}`
        : null;
      return renderCard({
        title: petition.title,
        decisionMakers: makers,
        count,
        exact: count === petition.signature_count,
        goal,
        cover,
      });
    })();
    cards.set(key, png);
    // A card that failed is not kept: the next request tries again.
    png.catch(() => cards.delete(key));
  }
  return { png: await png, etag };
}

let siteCardPng: Promise<Buffer> | null = null;

/** The site's own card, for the home page: made once per process. */
export function siteCard(): Promise<Buffer> {
  siteCardPng ??= renderCard({
    title: "Petitions that protect the people who sign them",
    decisionMakers: [],
    count: null,
    exact: true,
    goal: null,
    cover: null,
  });
  siteCardPng.catch(() => (siteCardPng = null));
  return siteCardPng;
}
