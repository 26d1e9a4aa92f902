/**
 * Quiet limits on signing, as the UK Parliament site uses: a signature over
 * any limit is still stored and the person sees the usual page, but it is
 * held as "suspect" and never counts until a moderator releases it.
 * Each limit is points per window; all are configurable (see app/config.server.ts).
 */
export type SigningLimits = {
  addressPerPetitionBurst: Limit;
  addressPerPetition: Limit;
  networkPerPetition: Limit;
  domainPerPetition: Limit;
  addressSiteWide: Limit;
  /** Domains too common to limit (the big webmail providers). */
  exemptDomains: readonly string[];
};
export type Limit = { points: number; seconds: number };

export const DEFAULT_SIGNING_LIMITS: SigningLimits = {
  addressPerPetitionBurst: { points: 3, seconds: 60 },
  addressPerPetition: { points: 10, seconds: 3600 },
  networkPerPetition: { points: 50, seconds: 3600 },
  domainPerPetition: { points: 100, seconds: 3600 },
  addressSiteWide: { points: 30, seconds: 3600 },
  exemptDomains: [
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "hotmail.co.uk",
    "live.com",
    "live.co.uk",
    "msn.com",
    "yahoo.com",
    "yahoo.co.uk",
    "ymail.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
    "gmx.com",
    "gmx.de",
    "web.de",
    "btinternet.com",
    "sky.com",
    "virginmedia.com",
    "talktalk.net",
    "mail.com",
    "zoho.com",
  ],
};
