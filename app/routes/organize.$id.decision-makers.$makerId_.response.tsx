import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { ResponseForm, type ResponseFormValues } from "~/components/response-form";
import type { ResponseItem } from "~/components/responses";
import { readForm } from "~/lib/form.server";
import { renderMarkdown } from "~/lib/markdown.server";
import { newToken } from "~/lib/tokens.server";
import { PUBLISHED_STATES } from "~/models/petition-lifecycle.server";
import { recordResponse } from "~/models/responses.server";
import { RESPONSE_FORM_BYTES, recordedResponseForm, responseLimitValues } from "~/schemas/response.server";
import { requireOrganizerDecisionMaker } from "~/services/petition-access.server";
import { translatedFieldErrors } from "~/lib/form-messages.server";
import { requestLocale, translator } from "~/lib/i18n.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle }];

const today = () => new Date().toISOString().slice(0, 10);

/**
 * An organizer records a response that reached them elsewhere (a letter, a statement): it is published on
 * the petition's page marked as recorded by the organizers, with its date and, if given, a link to the
 * original. Organizers of a published petition only.
 */
const loadMaker = (args: Pick<LoaderFunctionArgs, "request" | "context" | "params">) =>
  requireOrganizerDecisionMaker(args, (status) => PUBLISHED_STATES.includes(status));

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { petition: p, maker } = await loadMaker({ request, context, params });
  return {
    pageTitle: translator(requestLocale(request))("decisionMakers.record.pageTitle", { name: maker.name }),
    id: p.id,
    title: p.title,
    language: p.language,
    maker: { id: maker.id, name: maker.name, role: maker.role },
    formKey: newToken().token,
    today: today(),
  };
}

type ActionData = {
  values: ResponseFormValues;
  errors: Record<string, string>;
  formKey: string;
  preview: ResponseItem | null;
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, petition: p, maker } = await loadMaker({ request, context, params });
  const locale = requestLocale(request);
  const t = translator(locale);
  const form = await readForm(request, RESPONSE_FORM_BYTES);
  const str = (k: string) => {
    const v = form.get(k);
    return typeof v === "string" ? v : "";
  };
  const values: ResponseFormValues = {
    name: str("name"),
    title: str("title"),
    body: str("body"),
    respondedOn: str("respondedOn"),
    sourceUrl: str("sourceUrl"),
  };
  const formKey = /^[A-Za-z0-9_-]{43}$/.test(str("formKey")) ? str("formKey") : newToken().token;
  const parsed = recordedResponseForm(new Date()).safeParse({
    ...values,
    intent: str("intent"),
    formKey: str("formKey"),
  });
  if (!parsed.success) {
    return data<ActionData>(
      {
        values,
        errors: translatedFieldErrors(parsed.error, t, responseLimitValues(locale), { formKey: "form" }),
        formKey,
        preview: null,
      },
      { status: 400 },
    );
  }
  const input = parsed.data;
  const clean: ResponseFormValues = {
    name: input.name,
    title: input.title,
    body: input.body,
    respondedOn: input.respondedOn,
    sourceUrl: input.sourceUrl ?? "",
  };
  if (input.intent === "preview") {
    return data<ActionData>({
      values: clean,
      errors: {},
      formKey,
      preview: {
        id: 0,
        name: input.name,
        title: input.title || null,
        source: "organizer",
        sourceUrl: input.sourceUrl,
        respondedOn: input.respondedOn,
        bodyHtml: renderMarkdown(input.body),
        hidden: false,
        makerName: maker.name,
        makerRole: maker.role,
      },
    });
  }
  const result = await recordResponse(context.db, {
    petitionId: p.id,
    makerId: maker.id,
    userId: user.id,
    text: { name: input.name, title: input.title, body: input.body, formKey: input.formKey },
    respondedOn: input.respondedOn,
    sourceUrl: input.sourceUrl,
    site: { appUrl: context.config.appUrl },
    minIntervalMs: context.config.updateEmailMinIntervalMs,
  });
  switch (result.kind) {
    case "not_found":
      throw new Response("Not found", { status: 404 });
    case "form_used":
      return data<ActionData>(
        {
          values: clean,
          errors: {
            body: t("decisionMakers.record.formUsed"),
          },
          formKey: newToken().token,
          preview: null,
        },
        { status: 400 },
      );
    case "duplicate":
    case "published":
      throw redirect(`/organize/${p.id}/decision-makers?recorded=${maker.id}#maker-${maker.id}`);
  }
}

export default function RecordResponse() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  return (
    <section>
      <p>
        <Link to={`/organize/${d.id}/decision-makers`}>{t("decisionMakers.record.back")}</Link>
      </p>
      <p className="eyebrow" lang={d.language}>
        {d.title}
      </p>
      <h1>
        <Trans
          i18nKey="decisionMakers.record.heading"
          values={{ name: d.maker.name }}
          components={{ 1: <span translate="no" /> }}
        />
      </h1>
      <p className="form-intro">{t("decisionMakers.record.intro")}</p>
      <ResponseForm
        action={`/organize/${d.id}/decision-makers/${d.maker.id}/response`}
        recorded
        values={
          a?.values ?? { name: d.maker.name, title: d.maker.role ?? "", body: "", respondedOn: "", sourceUrl: "" }
        }
        errors={a?.errors ?? {}}
        formKey={a?.formKey ?? d.formKey}
        preview={a?.preview ?? null}
        publishLabel={t("decisionMakers.record.publish")}
        today={d.today}
      />
    </section>
  );
}
