import type { Migration } from "kysely";
import * as initial from "./2026-11-27T19-30-00_initial";
import * as organizers from "./2026-11-27T20-00-00_organizers";
import * as trustAndSafety from "./2026-11-27T21-00-00_trust-and-safety";
import * as signerData from "./2026-11-27T21-30-00_signer-data";
import * as updates from "./2026-11-27T22-00-00_updates";
import * as bulkEmailIndexes from "./2026-11-27T23-00-00_bulk-email-indexes";
import * as optionalChallenge from "./2026-11-28T10-00-00_optional-challenge";
import * as publicSignersIndex from "./2026-11-28T11-00-00_public-signers-index";
import * as countingAndLimits from "./2026-12-06T21-00-00_counting-and-limits";
import * as jobRuns from "./2026-12-06T21-30-00_job-runs";
import * as coverImageReview from "./2026-12-06T22-00-00_cover-image-review";
import * as petitionTallies from "./2026-12-07T00-00-00_petition-tallies";
import * as osdiApi from "./2026-12-07T10-00-00_osdi-api";
import * as responses from "./2026-12-07T10-30-00_responses";
import * as search from "./2026-12-07T12-00-00_search";
import * as languages from "./2026-12-07T13-00-00_languages";
import * as petitionTranslations from "./2026-12-07T14-00-00_petition-translations";
import * as updateEmailLanguages from "./2026-12-07T14-30-00_update-email-languages";

/**
 * Every migration, by name. Listed by hand rather than read from the folder so
 * that bundlers and tsx see the same set. Names sort by their ISO-date prefix.
 */
export const migrations: Record<string, Migration> = {
  "2026-11-27T19-30-00_initial": initial,
  "2026-11-27T20-00-00_organizers": organizers,
  "2026-11-27T21-00-00_trust-and-safety": trustAndSafety,
  "2026-11-27T21-30-00_signer-data": signerData,
  "2026-11-27T22-00-00_updates": updates,
  "2026-11-27T23-00-00_bulk-email-indexes": bulkEmailIndexes,
  "2026-11-28T10-00-00_optional-challenge": optionalChallenge,
  "2026-11-28T11-00-00_public-signers-index": publicSignersIndex,
  "2026-12-06T21-00-00_counting-and-limits": countingAndLimits,
  "2026-12-06T21-30-00_job-runs": jobRuns,
  "2026-12-06T22-00-00_cover-image-review": coverImageReview,
  "2026-12-07T00-00-00_petition-tallies": petitionTallies,
  "2026-12-07T10-00-00_osdi-api": osdiApi,
  "2026-12-07T10-30-00_responses": responses,
  "2026-12-07T12-00-00_search": search,
  "2026-12-07T13-00-00_languages": languages,
  "2026-12-07T14-00-00_petition-translations": petitionTranslations,
  "2026-12-07T14-30-00_update-email-languages": updateEmailLanguages,
};
