import type { DB } from "./connection";

/**
 * Demo campaigns for a fresh development database. The facts come from the
 * public record; the words are ours.
 */
type DemoPetition = {
  slug: string;
  title: string;
  summary: string;
  body: string;
  country: string;
  status: "open" | "closed";
  goal: number | null;
  /** Days from now; negative for a campaign that has already closed. */
  closesInDays: number;
  decisionMakers: { name: string; role: string }[];
};

export const DEMO_PETITIONS: DemoPetition[] = [
  {
    slug: "merseyside-model-uk-wide",
    title: "Make the Merseyside model of policing UK-wide",
    summary:
      "Treat crimes against sex workers as hate crimes in every police force, as Merseyside has since 2006, so that victims can report violence and attackers are convicted.",
    country: "GB",
    status: "open",
    goal: null,
    closesInDays: 180,
    decisionMakers: [
      { name: "The Prime Minister", role: "Prime Minister of the United Kingdom" },
      { name: "The Home Secretary", role: "Home Office" },
    ],
    body: `In 2006 Merseyside Police decided to treat crimes against sex workers as hate crimes. Victims there are treated as victims, not suspects, and the people who attack them are caught.

## What changed in Merseyside

- In 2010 the conviction rate for crimes against sex workers in Merseyside was **84%**, and **67%** for rape. Across the country, the conviction rate for rape was around **6.5%**.
- In Liverpool in 2009, **90%** of the men who raped sex workers were convicted.
- Reports reach the police again: through the Ugly Mugs scheme, other sex workers are warned about dangerous men.

## Why it is needed everywhere

Most crimes against people in the sex trade are never reported. People fear being treated as criminals themselves, or being asked about everything except the crime. Where violence goes unreported, violent men go free and go on to attack others.

The approach was recommended to every force in the 2011 national police strategy on prostitution, and a report for the Mayor of London, *Silence on Violence*, urged London to follow Merseyside. Yet no other force has adopted it.

## What we ask

Make the Merseyside model the standard for every police force in the United Kingdom: record crimes against sex workers as hate crimes, and make reporting safe.`,
  },
  {
    slug: "safety-first-for-sex-workers-reporting-violence",
    title: "Let sex workers report violence without fear of arrest",
    summary:
      "Adopt San Francisco's 2018 safety-first policy statewide: no arrest or prosecution for prostitution or minor drug offences when someone reports a violent crime.",
    country: "US",
    status: "open",
    goal: 1000,
    closesInDays: 120,
    decisionMakers: [
      { name: "The Attorney General of California", role: "California Department of Justice" },
      { name: "The California State Legislature", role: "" },
    ],
    body: `In January 2018 San Francisco became the first city in the United States to put the safety of sex workers who report violence ahead of prosecuting them.

## What San Francisco did

The San Francisco Police Department and the District Attorney's Office each adopted a policy: a sex worker who reports a violent crime, as a victim or a witness, is not arrested or prosecuted for prostitution or for minor drug offences. The policies were written with the city's Department on the Status of Women and local sex worker rights organisations.

## Why it matters

Research and front-line services in the city found that most sex workers who are attacked never go to the police, because reporting can mean arrest. Those most affected include women of colour and transgender women. When crimes go unreported, the people who commit them stay free, and everyone is less safe.

## What we ask

Make the same protection law across California, so that no one has to choose between reporting a violent crime and their own freedom.`,
  },
  {
    slug: "ugly-mugs-funding-2026",
    title: "Fund a national scheme that warns sex workers about dangerous people",
    summary:
      "This campaign has closed. It asked for secure funding for reporting schemes that warn sex workers about violent offenders.",
    country: "GB",
    status: "closed",
    goal: 500,
    closesInDays: -30,
    decisionMakers: [{ name: "The Home Secretary", role: "Home Office" }],
    body: `Reporting schemes let sex workers warn one another about violent people, and pass reports to the police when the victim wants that. This campaign asked for steady funding for them.

It is now closed and no longer takes signatures.`,
  },
];

/** Adds the demo campaigns to an empty database; does nothing if any petition exists. */
export async function seedDemoPetitions(
  db: DB,
  render: (markdown: string) => string,
  now = new Date(),
): Promise<number> {
  const existing = await db.selectFrom("petitions").select("id").limit(1).executeTakeFirst();
  if (existing) return 0;
  await db.transaction().execute(async (trx) => {
    for (const p of DEMO_PETITIONS) {
      const nowIso = now.toISOString();
      const opened = new Date(now.getTime() - 14 * 86_400_000).toISOString();
      const { id } = await trx
        .insertInto("petitions")
        .values({
          slug: p.slug,
          title: p.title,
          summary: p.summary,
          body_markdown: p.body,
          body_html: render(p.body),
          country: p.country,
          status: p.status,
          goal: p.goal,
          opened_at: opened,
          closes_at: new Date(now.getTime() + p.closesInDays * 86_400_000).toISOString(),
          created_at: opened,
          updated_at: nowIso,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("decision_makers")
        .values(
          p.decisionMakers.map((m, position) => ({ petition_id: id, position, name: m.name, role: m.role || null })),
        )
        .execute();
    }
  });
  return DEMO_PETITIONS.length;
}
