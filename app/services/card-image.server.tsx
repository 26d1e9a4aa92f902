import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { LRUCache } from "lru-cache";
import satori from "satori";
import sharp from "sharp";
import type { DB } from "../../db/connection";
import { goalFor } from "../lib/goal";
import { DEFAULT_LANGUAGE, formatNumber, isLanguage, isLocale, LANGUAGE_PARAM, type Locale } from "../lib/i18n";
import { translator } from "../lib/i18n.server";
import { getImageForViewer } from "../models/image.server";
import { getPublicPetitionBySlug } from "../models/petition.server";
import { PUBLISHED_STATES } from "../models/petition-lifecycle.server";
import { approvedTranslations } from "../models/translations.server";

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
  /** The language of the card's own words (section `shareCard`), and of its title when it is a campaign's. */
  locale: Locale;
  /** The campaign's title as the card shows it, or null for the site's own card (which says what the site is). */
  title: string | null;
  decisionMakers: { name: string; role: string | null }[];
  /** Already rounded (cardCount); null on the site's own card. */
  count: number | null;
  exact: boolean;
  goal: number | null;
  /** The cover as a data: URL, resized to the card. */
  cover: string | null;
};

/** What a card says, in its language: every word from the catalog (section `shareCard`) but people's own. */
export function cardWords(facts: CardFacts) {
  const t = translator(facts.locale);
  const number = (n: number) => formatNumber(n, facts.locale);
  const to = facts.decisionMakers.map((m) => (m.role ? `${m.name}, ${m.role}` : m.name)).join("; ");
  const count = facts.count;
  return {
    kicker: count === null ? t("shareCard.site") : t("shareCard.petition"),
    title: facts.title ?? t("shareCard.siteTitle"),
    to: to ? t("shareCard.to", { to }) : null,
    count:
      count === null
        ? null
        : t(facts.exact ? "shareCard.signatures" : "shareCard.signaturesAtLeast", { count, number: number(count) }),
    goal: facts.goal ? t("shareCard.goal", { number: number(facts.goal) }) : null,
    footer: t("shareCard.footer"),
  };
}

/** The card's PNG for these facts. */
export async function renderCard(facts: CardFacts): Promise<Buffer> {
  const words = cardWords(facts);
  const count = facts.count;
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
          {words.kicker}
        </div>
        <div
          style={{
            fontSize: words.title.length > 80 ? 48 : 60,
            fontWeight: 700,
            lineHeight: 1.12,
            marginTop: 12,
            display: "block",
            lineClamp: 3,
          }}
        >
          {words.title}
        </div>
        {words.to ? (
          <div style={{ fontSize: 28, marginTop: 18, opacity: 0.92, display: "block", lineClamp: 1 }}>{words.to}</div>
        ) : null}
        {words.count ? (
          <div style={{ display: "flex", alignItems: "baseline", marginTop: 32, fontSize: 36, fontWeight: 700 }}>
            {words.count}
            {words.goal ? (
              <span style={{ fontSize: 28, fontWeight: 400, marginLeft: 16, opacity: 0.9 }}>{words.goal}</span>
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
        <div style={{ fontSize: 24, marginTop: 24, opacity: 0.85 }}>{words.footer}</div>
      </div>
    </div>,
    { width: CARD_WIDTH, height: CARD_HEIGHT, fonts: await loadFonts() },
  );
  return sharp(Buffer.from(svg)).png({ compressionLevel: 9, palette: !facts.cover }).toBuffer();
}

export type Card = { png: Buffer; etag: string };

/**
 * The language a card asks for in its address (`?lang=`), or null. A card is fetched by social sites without
 * cookies or the reader's languages, so only its address can choose; a language we do not have is ignored.
 */
export function cardLocale(request: Request): Locale | null {
  const asked = new URL(request.url).searchParams.get(LANGUAGE_PARAM);
  return isLocale(asked) ? asked : null;
}

/**
 * The card of a published campaign (open, closed or won), or undefined: a draft, one in review, a hidden
 * or rejected one has none. Its words are in the language asked for, else in the campaign's own language;
 * its title is the organizers' approved translation into that language when there is one (as the campaign
 * page shows it to that language's readers), else the campaign's own. Made at most once per key while it
 * stays in memory; the key holds the language and the title shown.
 */
export async function campaignCard(db: DB, slug: string, asked: Locale | null = null): Promise<Card | undefined> {
  const petition = await getPublicPetitionBySlug(db, slug);
  if (!petition || !PUBLISHED_STATES.includes(petition.status)) return undefined;
  const locale: Locale = asked ?? (isLanguage(petition.language) ? petition.language : DEFAULT_LANGUAGE);
  const translation =
    isLanguage(locale) && locale !== petition.language
      ? (await approvedTranslations(db, petition.id)).find((tr) => tr.language === locale)
      : undefined;
  const title = translation?.title ?? petition.title;
  const count = cardCount(petition.signature_count);
  const showsGoal = petition.status === "open";
  const goal = showsGoal ? goalFor(count, petition.goal) : null;
  const makers = petition.decisionMakers.map((m) => ({ name: m.name, role: m.role }));
  const facts = JSON.stringify([title, makers, goal, petition.status]);
  const key = [
    petition.id,
    locale,
    count,
    petition.image_id ?? "",
    createHash("sha256").update(facts).digest("hex"),
  ].join(":");
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
        locale,
        title,
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

const siteCards = new Map<Locale, Promise<Buffer>>();

/** The site's own card, for the home page, in a language (English unless asked): made once per process. */
export function siteCard(locale: Locale = DEFAULT_LANGUAGE): Promise<Buffer> {
  let png = siteCards.get(locale);
  if (!png) {
    png = renderCard({
      locale,
      title: null,
      decisionMakers: [],
      count: null,
      exact: true,
      goal: null,
      cover: null,
    });
    siteCards.set(locale, png);
    png.catch(() => siteCards.delete(locale));
  }
  return png;
}
