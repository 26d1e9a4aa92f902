import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { countryName } from "~/lib/countries";
import { formatNumber, type Locale } from "~/lib/i18n";
import { ErrorSummary, summaryOf } from "./field";
import { TableScroll } from "./table-scroll";

export type SuspectRow = {
  id: number;
  createdAt: string;
  status: string;
  country: string;
  domain: string | null;
  network: string | null;
  /** Why it is held, in the reader's language (app/lib/fraud-reasons.server.ts). */
  reason: string | null;
};

const when = (iso: string) => iso.slice(0, 16).replace("T", " ");

/**
 * A petition's suspect signatures: why they were held, "Release all", and the
 * newest ones to release by hand. No names or addresses are shown.
 */
export function SuspectsSection(props: {
  figures: { suspect: number };
  reasons: { reason: string; count: number }[];
  suspects: SuspectRow[];
  error?: string;
}) {
  const { figures, reasons, suspects } = props;
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const count = (n: number) => formatNumber(n, locale);
  return (
    <section aria-labelledby="suspects-heading">
      <h2 id="suspects-heading">{t("campaignSafety.suspects.heading")}</h2>
      <p>{t("campaignSafety.suspects.intro")}</p>
      {figures.suspect === 0 ? (
        <p>{t("campaignSafety.none")}</p>
      ) : (
        <>
          <ul>
            {reasons.map((r) => (
              <li key={r.reason}>
                {count(r.count)}: {r.reason}
              </li>
            ))}
          </ul>
          <Form method="post">
            <input type="hidden" name="scope" value="all" />
            <button type="submit" name="intent" value="release" className="button button--secondary">
              {t("campaignSafety.suspects.releaseAll", { count: figures.suspect, number: count(figures.suspect) })}
            </button>
          </Form>
          <Form method="post">
            <input type="hidden" name="scope" value="selected" />
            <ErrorSummary errors={summaryOf({ ids: props.error }, { ids: `suspect-${suspects[0]?.id}` })} />
            {props.error ? (
              <p className="field-error" id="ids-error">
                {t(props.error)}
              </p>
            ) : null}
            <TableScroll labelledBy="suspects-newest">
              <table className="table table--wide">
                <caption className="hint" id="suspects-newest">
                  {t("campaignSafety.suspects.newest", { count: suspects.length, number: count(suspects.length) })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">
                      <span className="visually-hidden">{t("campaignSafety.suspects.release")}</span>
                    </th>
                    <th scope="col">{t("campaignSafety.suspects.signed")}</th>
                    <th scope="col">{t("campaignSafety.suspects.state")}</th>
                    <th scope="col">{t("campaignSafety.suspects.country")}</th>
                    <th scope="col">{t("campaignSafety.suspects.domain")}</th>
                    <th scope="col">{t("campaignSafety.suspects.network")}</th>
                    <th scope="col">{t("campaignSafety.suspects.why")}</th>
                  </tr>
                </thead>
                <tbody>
                  {suspects.map((s) => (
                    <tr key={s.id}>
                      <td>
                        <input
                          type="checkbox"
                          name="id"
                          value={s.id}
                          id={`suspect-${s.id}`}
                          aria-label={t("campaignSafety.suspects.releaseOne", { id: s.id })}
                        />
                      </td>
                      <td>{when(s.createdAt)}</td>
                      <td>
                        {s.status === "confirmed" || s.status === "pending"
                          ? t(`campaignSafety.suspects.status.${s.status}`)
                          : s.status}
                      </td>
                      <td>{countryName(s.country, locale)}</td>
                      <td translate="no">{s.domain ?? ""}</td>
                      <td>{s.network ? <code translate="no">{s.network}</code> : ""}</td>
                      <td>{s.reason ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
            <button type="submit" name="intent" value="release" className="button button--secondary">
              {t("campaignSafety.suspects.releaseTicked")}
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
