import { formatDate } from "~/lib/time";

/** A response as the public reads it (app/models/response-lists.server.ts publicResponses). */
export type ResponseItem = {
  id: number;
  name: string;
  title: string | null;
  source: "decision_maker" | "organizer";
  sourceUrl: string | null;
  respondedOn: string;
  /** Null when a moderator hid it. */
  bodyHtml: string | null;
  hidden: boolean;
  makerName: string;
  makerRole: string | null;
};

/** Each decision maker the petition was delivered to, or who responded, with where they stand. */
export type MakerStatus = {
  id: number;
  name: string;
  role: string | null;
  deliveredAt: string | null;
  respondedOn: string | null;
};

export function responseHeading(r: Pick<ResponseItem, "name" | "title">): string {
  return `Response from ${r.name}${r.title ? `, ${r.title}` : ""}`;
}

/**
 * Where the petition stands with the people it is addressed to, at a glance: "responded on 3 March" or
 * "waiting for a response since 1 March", per decision maker. Nothing for those it was never sent to.
 */
export function ResponseStatusList({ makers }: { makers: MakerStatus[] }) {
  const shown = makers.filter((m) => m.respondedOn || m.deliveredAt);
  if (shown.length === 0) return null;
  return (
    <ul className="response-status" aria-label="Responses from the people it is addressed to">
      {shown.map((m) => (
        <li key={m.id} className={m.respondedOn ? "response-status--responded" : "response-status--waiting"}>
          <strong>{m.name}</strong>{" "}
          {m.respondedOn ? (
            <>
              responded on {formatDate(m.respondedOn)} · <a href="#responses">Read the response</a>
            </>
          ) : (
            <>has not responded: waiting since {formatDate(m.deliveredAt!)}</>
          )}
        </li>
      ))}
    </ul>
  );
}

/** One response: who it is from, when, how it reached the site, and its text (or why it is not shown). */
export function ResponseArticle({
  response: r,
  headingLevel = 3,
  permalink,
}: {
  response: ResponseItem;
  headingLevel?: 1 | 2 | 3;
  permalink?: string;
}) {
  const Heading = (["h1", "h2", "h3"] as const)[headingLevel - 1];
  if (r.hidden) {
    return (
      <article className="response response--hidden" id={`response-${r.id}`}>
        <p>
          A response from {r.name} dated {formatDate(r.respondedOn)} was hidden by our moderators.
        </p>
      </article>
    );
  }
  const differentName = r.source === "decision_maker" && r.name.toLowerCase() !== r.makerName.toLowerCase();
  return (
    <article className="response" id={`response-${r.id}`} aria-labelledby={`response-${r.id}-heading`}>
      <Heading id={`response-${r.id}-heading`}>{responseHeading(r)}</Heading>
      <p className="response-meta">
        <time dateTime={r.respondedOn}>{formatDate(r.respondedOn)}</time>
        {r.source === "organizer" ? (
          <>
            {" "}
            · Recorded by the organizers from a response they received elsewhere
            {r.sourceUrl ? (
              <>
                {" "}
                (
                <a href={r.sourceUrl} rel="nofollow noopener noreferrer ugc">
                  the original
                </a>
                )
              </>
            ) : null}
          </>
        ) : (
          <>
            {" "}
            · Published by the decision maker through the private link sent to {differentName ? r.makerName : "them"}
          </>
        )}
      </p>
      <div className="prose" dangerouslySetInnerHTML={{ __html: r.bodyHtml ?? "" }} />
      {permalink ? (
        <p className="hint">
          <a href={permalink}>Link to this response</a>
        </p>
      ) : null}
    </article>
  );
}

/** The campaign page's responses, newest first. */
export function ResponsesSection({ responses, slug }: { responses: ResponseItem[]; slug: string }) {
  if (responses.length === 0) return null;
  return (
    <section className="responses" id="responses" aria-labelledby="responses-heading">
      <h2 id="responses-heading">{responses.length === 1 ? "Response" : "Responses"}</h2>
      {responses.map((r) => (
        <ResponseArticle key={r.id} response={r} permalink={`/petitions/${slug}/responses/${r.id}`} />
      ))}
    </section>
  );
}
