import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { isLanguage, LANGUAGE_NAMES } from "~/lib/i18n";
import { readForm } from "~/lib/form.server";
import { requestLocale, translator } from "~/lib/i18n.server";
import { pendingTranslations, reviewTranslation } from "~/models/translations.server";
import { TranslationReviewForm } from "~/schemas/translation.server";
import { requireRole } from "~/services/session.server";

/*
 * Organizers' translations waiting for a moderator (ADR campaign-translations): each shown in full, as readers
 * would read it, beside the campaign it translates. Approving shows it to readers in its language; declining
 * keeps it from them until its organizers change it, which sends it back here.
 */

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, "moderator");
  const url = new URL(request.url);
  const notice = (["approved", "declined"] as const).find((n) => url.searchParams.has(n)) ?? null;
  const rows = await pendingTranslations(context.db);
  return {
    pageTitle: translator(requestLocale(request))("translations.moderate.pageTitle"),
    notice,
    translations: rows.map((r) => ({
      id: r.id,
      updatedAt: r.updated_at,
      language: r.language,
      title: r.title,
      summary: r.summary,
      bodyHtml: r.body_html,
      petitionId: r.petitionId,
      petitionTitle: r.petitionTitle,
      petitionLanguage: r.petitionLanguage,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const moderator = await requireRole(request, context, "moderator");
  const form = await readForm(request);
  const parsed = TranslationReviewForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) return data({ error: "translations.errors.intent" }, { status: 400 });
  const decided = await reviewTranslation(context.db, {
    id: parsed.data.id,
    updatedAt: parsed.data.updatedAt,
    moderatorId: moderator.id,
    approve: parsed.data.intent === "approve",
  });
  if (!decided) return data({ error: "translations.moderate.changed" }, { status: 409 });
  throw redirect(`/moderate/translations?${parsed.data.intent === "approve" ? "approved" : "declined"}=1`);
}

const nameOf = (language: string) => (isLanguage(language) ? LANGUAGE_NAMES[language] : language);

export default function TranslationsToReview() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t("translations.moderate.heading")}</h1>
      <p>{t("translations.moderate.intro")}</p>
      {a?.error ? (
        <p className="notice" role="alert">
          {t(a.error)}
        </p>
      ) : d.notice ? (
        <p className="notice" role="status">
          {t(`translations.moderate.${d.notice}`)}
        </p>
      ) : null}
      {d.translations.length === 0 ? <p>{t("translations.moderate.none")}</p> : null}
      {d.translations.map((tr) => (
        <article key={tr.id} className="card" aria-labelledby={`translation-${tr.id}`}>
          <h2 id={`translation-${tr.id}`} lang={tr.language}>
            {tr.title}
          </h2>
          <dl>
            <dt>{t("translations.moderate.language")}</dt>
            <dd lang={tr.language}>{nameOf(tr.language)}</dd>
            <dt>{t("translations.moderate.campaign")}</dt>
            <dd>
              <Link to={`/moderate/${tr.petitionId}`} lang={tr.petitionLanguage}>
                {tr.petitionTitle}
              </Link>
            </dd>
            <dt>{t("translations.moderate.summary")}</dt>
            <dd lang={tr.language}>{tr.summary}</dd>
          </dl>
          <h3>{t("translations.moderate.text")}</h3>
          <div className="prose" lang={tr.language} dangerouslySetInnerHTML={{ __html: tr.bodyHtml }} />
          <Form method="post" className="actions">
            <input type="hidden" name="id" value={tr.id} />
            <input type="hidden" name="updatedAt" value={tr.updatedAt} />
            <button type="submit" name="intent" value="approve" className="button">
              {t("translations.moderate.approve")}
            </button>
            <button type="submit" name="intent" value="decline" className="button button--secondary">
              {t("translations.moderate.decline")}
            </button>
          </Form>
        </article>
      ))}
    </section>
  );
}
