import { RateLimiterSQLite } from "rate-limiter-flexible";
import { withRateLimitStore, type DB } from "../../db/connection";
import type { ClientHashes } from "./client-address.server";
import type { Limit, SigningLimits } from "./signing-limits";

type Limiters = Record<Exclude<keyof SigningLimits, "exemptDomains">, RateLimiterSQLite>;
const limitersByDb = new WeakMap<DB, Promise<Limiters>>();

function limiters(db: DB, limits: SigningLimits): Promise<Limiters> {
  let made = limitersByDb.get(db);
  if (!made) {
    made = withRateLimitStore(db, async (store) => {
      const make = (name: string, limit: Limit) =>
        new Promise<RateLimiterSQLite>((resolve, reject) => {
          const limiter: RateLimiterSQLite = new RateLimiterSQLite(
            { ...store, tableName: "rate_limits", keyPrefix: name, points: limit.points, duration: limit.seconds },
            (err?: Error) => (err ? reject(err) : resolve(limiter)),
          );
        });
      return {
        addressPerPetitionBurst: await make("sig-ip-burst", limits.addressPerPetitionBurst),
        addressPerPetition: await make("sig-ip", limits.addressPerPetition),
        networkPerPetition: await make("sig-net", limits.networkPerPetition),
        domainPerPetition: await make("sig-domain", limits.domainPerPetition),
        addressSiteWide: await make("sig-ip-site", limits.addressSiteWide),
      };
    });
    limitersByDb.set(db, made);
  }
  return made;
}

/**
 * Counts this submission against every limit that applies, then runs
 * `record` with the first limit it broke (or null), in the same write
 * transaction: the charges and what is recorded commit together, once.
 * Every limit is charged, so a flood stays over its limits for the whole window.
 */
export async function withinSigningLimits<T>(
  db: DB,
  limits: SigningLimits,
  s: { petitionId: number; client: ClientHashes; emailDomain: string },
  record: (trx: DB, overLimit: string | null) => Promise<T>,
): Promise<T> {
  const l = await limiters(db, limits);
  const charges: [RateLimiterSQLite, string | null, string][] = [
    [
      l.addressPerPetitionBurst,
      s.client.ipHash && `${s.petitionId}:${s.client.ipHash}`,
      "address burst on this petition",
    ],
    [l.addressPerPetition, s.client.ipHash && `${s.petitionId}:${s.client.ipHash}`, "address on this petition"],
    [
      l.networkPerPetition,
      s.client.networkHash && `${s.petitionId}:${s.client.networkHash}`,
      "network on this petition",
    ],
    [
      l.domainPerPetition,
      limits.exemptDomains.includes(s.emailDomain) ? null : `${s.petitionId}:${s.emailDomain}`,
      "email domain on this petition",
    ],
    [l.addressSiteWide, s.client.ipHash, "address across the site"],
  ];
  return withRateLimitStore(db, async (_store, trx) => {
    let broken: string | null = null;
    for (const [limiter, key, name] of charges) {
      if (!key) continue;
      try {
        await limiter.consume(key);
      } catch (rejection) {
        if (rejection instanceof Error) throw rejection;
        broken ??= `over the limit for one ${name}`;
      }
    }
    return record(trx, broken);
  });
}
