import { useTranslation } from "react-i18next";
import { FORM_STAMP_FIELD, HONEYPOT_FIELD } from "~/schemas/signature-fields";

/**
 * The quiet defences of a public form: a honeypot field that people never see
 * (and assistive technology skips) but naive bots fill in, and the signed time
 * the form was shown (app/lib/form-timing.server.ts). `id` makes the field's id
 * unique on the page.
 */
export function FormGuards({ id, stamp }: { id: string; stamp: string }) {
  const { t } = useTranslation();
  return (
    <>
      <div className="honeypot" aria-hidden="true">
        <label htmlFor={`${id}-website`}>{t("sign.form.honeypot")}</label>
        <input id={`${id}-website`} name={HONEYPOT_FIELD} type="text" tabIndex={-1} autoComplete="off" />
      </div>
      <input type="hidden" name={FORM_STAMP_FIELD} value={stamp} />
    </>
  );
}
