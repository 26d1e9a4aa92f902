import type { PetitionWithMakers } from "~/models/petition.server";

type Maker = PetitionWithMakers["decisionMakers"][number];

export function DecisionMakers({ makers, inline = false }: { makers: Maker[]; inline?: boolean }) {
  if (makers.length === 0) return null;
  if (inline) {
    return (
      <p className="decision-makers-inline">
        To: {makers.map((m) => (m.role ? `${m.name} (${m.role})` : m.name)).join("; ")}
      </p>
    );
  }
  return (
    <div className="decision-makers">
      <h2 className="visually-hidden">Addressed to</h2>
      <p className="decision-makers-label" aria-hidden="true">
        To
      </p>
      <ul>
        {makers.map((m) => (
          <li key={`${m.name}-${m.role ?? ""}`}>
            <span className="dm-name">{m.name}</span>
            {m.role ? <span className="dm-role">{m.role}</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
