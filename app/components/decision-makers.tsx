import { useTranslation } from "react-i18next";
import type { PetitionWithMakers } from "~/models/petition.server";

type Maker = PetitionWithMakers["decisionMakers"][number];

export function DecisionMakers({ makers, inline = false }: { makers: Maker[]; inline?: boolean }) {
  const { t } = useTranslation();
  if (makers.length === 0) return null;
  if (inline) {
    return (
      <p className="decision-makers-inline">
        {t("campaign.decisionMakers.to")}{" "}
        <span translate="no">{makers.map((m) => (m.role ? `${m.name} (${m.role})` : m.name)).join("; ")}</span>
      </p>
    );
  }
  return (
    <div className="decision-makers">
      <h2 className="visually-hidden">{t("campaign.decisionMakers.heading")}</h2>
      <p className="decision-makers-label" aria-hidden="true">
        {t("campaign.decisionMakers.label")}
      </p>
      <ul>
        {makers.map((m) => (
          <li key={`${m.name}-${m.role ?? ""}`} translate="no">
            <span className="dm-name">{m.name}</span>
            {m.role ? <span className="dm-role">{m.role}</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
