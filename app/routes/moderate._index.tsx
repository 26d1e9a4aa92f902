import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { formatDate, type Locale } from "~/lib/i18n";
import { requestLocale, translator } from "~/lib/i18n.server";
import { requireRole } from "~/services/session.server";
import { listImageReviewQueue } from "~/models/image.server";
import { listReviewQueue } from "~/models/moderation.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, "moderator");
  const queue = await listReviewQueue(context.db);
  const images = await listImageReviewQueue(context.db);
  const now = Date.now();
  return {
    title: translator(requestLocale(request))("moderate.queue.title"),
    images: images.map((p) => ({ id: p.id, title: p.title, language: p.language, uploadedAt: p.pending_image_at })),
    queue: queue.map((p) => ({
      id: p.id,
      title: p.title,
      summary: p.summary,
      language: p.language,
      ownerEmail: p.ownerEmail,
      submittedAt: p.submitted_at,
      waitingDays: p.submitted_at ? Math.floor((now - Date.parse(p.submitted_at)) / 86_400_000) : 0,
      waitingHours: p.submitted_at ? Math.floor((now - Date.parse(p.submitted_at)) / 3_600_000) : 0,
    })),
  };
}

function waited(days: number, hours: number, t: TFunction) {
  if (days >= 1) return t("moderate.queue.days", { count: days });
  if (hours >= 1) return t("moderate.queue.hours", { count: hours });
  return t("moderate.queue.lessThanAnHour");
}

export default function ModerationQueue() {
  const { queue, images } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  return (
    <section>
      <h1>{t("moderate.queue.heading")}</h1>
      <p>{t("moderate.queue.intro")}</p>
      <p>
        <Trans i18nKey="moderate.queue.safetyLink" components={{ 1: <Link to="/moderate/safety" /> }} />
      </p>
      <p>
        <Trans i18nKey="moderate.queue.updatesLink" components={{ 1: <Link to="/moderate/updates" /> }} />
      </p>
      <p>
        <Trans i18nKey="moderate.queue.responsesLink" components={{ 1: <Link to="/moderate/responses" /> }} />
      </p>
      {queue.length === 0 ? (
        <p>{t("moderate.queue.empty")}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("moderate.queue.petition")}</th>
              <th scope="col">{t("moderate.queue.startedBy")}</th>
              <th scope="col">{t("moderate.queue.waiting")}</th>
            </tr>
          </thead>
          <tbody>
            {queue.map((p) => (
              <tr key={p.id}>
                <td>
                  <Link to={`/moderate/${p.id}`} lang={p.language}>
                    {p.title}
                  </Link>
                  <br />
                  <span className="hint" lang={p.language}>
                    {p.summary}
                  </span>
                </td>
                <td translate="no">{p.ownerEmail}</td>
                <td className={p.waitingDays >= 10 ? "overdue" : undefined}>
                  {waited(p.waitingDays, p.waitingHours, t)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section aria-labelledby="images-heading">
        <h2 id="images-heading">{t("moderate.queue.imagesHeading")}</h2>
        <p>{t("moderate.queue.imagesIntro")}</p>
        {images.length === 0 ? (
          <p>{t("moderate.queue.imagesNone")}</p>
        ) : (
          <ul>
            {images.map((p) => (
              <li key={p.id}>
                <Link to={`/moderate/${p.id}#cover-image`} lang={p.language}>
                  {p.title}
                </Link>
                {p.uploadedAt ? (
                  <span className="hint">
                    {" "}
                    {t("moderate.queue.uploaded", { date: formatDate(p.uploadedAt, i18n.language as Locale) })}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
