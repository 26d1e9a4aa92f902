import { createElement, Fragment } from "react";
import { alreadySignedEmail } from "../../emails/already-signed";
import { confirmSignatureEmail } from "../../emails/confirm-signature";
import { renderEmail, Small, type Email, type EmailLanguage, type SiteContext } from "../../emails/layout";
import { manageLinksEmail } from "../../emails/manage-links";
import { organizerInvitationEmail } from "../../emails/organizer-invitation";
import { petitionDeliveryEmail } from "../../emails/petition-delivery";
import { petitionStatusEmail, type PetitionStatusData, type PetitionStatusEvent } from "../../emails/petition-status";
import { responseEmail } from "../../emails/response";
import { responseNoticeEmail, type ResponseNoticeData, type ResponseNoticeEvent } from "../../emails/response-notice";
import { signInEmail } from "../../emails/sign-in";
import { fillUpdateLinks, updateEmail } from "../../emails/update";
import { formatDate, type Locale } from "../lib/i18n";
import { renderMarkdown } from "../lib/markdown.server";
import { updateListId } from "../models/update.server";

/**
 * Every email the site sends, rendered with made-up data, for the gallery at
 * /dev/emails (never in production): one place to read them all, HTML and
 * text, after a change to a template or to the shared layout. Names are URL
 * segments; `template` is the module in emails/ that makes the email.
 */
export type EmailSample = {
  template: string;
  description: string;
  render: (site: SiteContext, lang: EmailLanguage) => Email & { headers?: Record<string, string> };
};

const PETITION = "Keep the Riverside Library open on Sundays";
const SLUG = "keep-the-riverside-library-open-on-sundays";
// Tokens shaped like real ones; they open the "not valid" pages, which is all a sample needs.
const TOKEN = "sAmPlE-tOkEn_0123456789abcdefghijklmnopqrstu";
const MAC = "sAmPlEmAc_0123456789abcdefghijklmnopqrstuvw";

/** One sample per status email; a new event without a sample here fails the type check. */
const STATUS_SAMPLES: Record<PetitionStatusEvent, { description: string; extra?: Partial<PetitionStatusData> }> = {
  submitted: { description: "To the organizers when their petition goes to the moderators." },
  published: { description: "To the organizers when a moderator publishes their petition." },
  rejected: {
    description: "To the organizers when a moderator declines to publish, with the reason and a note.",
    extra: {
      reason: "it asks for something the decision maker cannot do",
      note: "The library is run by the county, not the borough.",
    },
  },
  hidden: {
    description: "To the organizers when a moderator takes a published petition down.",
    extra: { note: "It names a private person." },
  },
  closed: { description: "To the organizers when their petition closes." },
  victory: { description: "To the organizers when victory is declared." },
  reopened: { description: "To the organizers when a moderator puts a hidden petition back." },
  "image-approved": {
    description: "To the organizers when a moderator approves a published petition's new cover image.",
  },
  "image-declined": {
    description: "To the organizers when a moderator declines a published petition's new cover image.",
  },
  milestone: {
    description: "To the organizers when the count reaches a goal.",
    extra: { count: 1000, nextGoal: 2000 },
  },
};

function statusSample(event: PetitionStatusEvent): EmailSample {
  const sample = STATUS_SAMPLES[event];
  return {
    template: "petition-status",
    description: sample.description,
    render: (site, lang) =>
      petitionStatusEmail({
        site,
        lang,
        event,
        petitionTitle: PETITION,
        petitionLanguage: "en",
        dashboardUrl: `${site.appUrl}/organize/1`,
        publicUrl: `${site.appUrl}/petitions/${SLUG}`,
        ...sample.extra,
      }),
  };
}

const UPDATE_BODY = `The council has agreed to **delay the decision** until after the public meeting on 14 March.

Please come if you can: [the meeting's details](https://example.org/meeting).`;
const UPDATE_BODY_TEXT = `The council has agreed to delay the decision until after the public meeting on 14 March.

Please come if you can: the meeting's details (https://example.org/meeting).`;

function updateSample(test: boolean): EmailSample {
  return {
    template: "update",
    description: test
      ? "The test copy of a draft update, sent to the organizer who asked for it; its links do nothing."
      : "An update from the organizers to each signer who asked for updates, with their own unsubscribe links, the RFC 8058 one-click headers and the campaign's List-Id.",
    render: (site, lang) => {
      const email = updateEmail({
        site,
        lang,
        petitionTitle: PETITION,
        updateTitle: "The council will decide after the public meeting",
        bodyHtml: renderMarkdown(UPDATE_BODY),
        bodyText: UPDATE_BODY_TEXT,
        updateUrl: `${site.appUrl}/petitions/${SLUG}/updates/1`,
        test,
      });
      const petitionLink = test ? `${site.appUrl}/petitions/${SLUG}` : `${site.appUrl}/unsubscribe/p1.${MAC}`;
      const allLink = test ? petitionLink : `${site.appUrl}/unsubscribe/a1.${MAC}`;
      const manageLink = test ? petitionLink : `${site.appUrl}/signature/${MAC}`;
      const fill = (s: string) => fillUpdateLinks(s, { petition: petitionLink, all: allLink, manage: manageLink });
      return {
        subject: email.subject,
        html: fill(email.html),
        text: fill(email.text),
        headers: test
          ? undefined
          : {
              "List-Id": updateListId(site, { id: 1, title: PETITION }),
              "List-Unsubscribe": `<${petitionLink}>`,
              "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
      };
    },
  };
}

const PETITION_BODY = `Families, students and older people rely on the **Riverside Library**. Closing it on Sundays leaves them
nowhere warm and quiet to go on the one day most of them are free.

We ask the council to keep it open from 11am to 4pm every Sunday.`;

function deliverySample(milestone: number | null): EmailSample {
  return {
    template: "petition-delivery",
    description:
      milestone === null
        ? "To a decision maker when an organizer presses “Deliver now”: the petition, the count by country and the private link to respond."
        : "To a decision maker when the petition passes one of their milestones: the petition, the count by country, the printable copy and the private link to respond.",
    render: (site, lang) =>
      petitionDeliveryEmail({
        site,
        lang,
        makerName: "Councillor Priya Shah",
        makerRole: "Cabinet Member for Culture, Riverside Borough Council",
        petitionTitle: PETITION,
        summary: "The library is the only warm, quiet place in the ward on a Sunday.",
        bodyHtml: renderMarkdown(PETITION_BODY),
        bodyText: PETITION_BODY.replace(/\*\*/g, ""),
        count: 1_204,
        countries: [
          { name: "United Kingdom", count: 1_150 },
          { name: "Ireland", count: 31 },
        ],
        otherCountries: 23,
        milestone,
        publicUrl: `${site.appUrl}/petitions/${SLUG}`,
        printUrl: `${site.appUrl}/respond/${TOKEN}/petition`,
        respondUrl: `${site.appUrl}/respond/${TOKEN}`,
      }),
  };
}

const RESPONSE_BODY = `Thank you to everyone who signed. The council has heard you: from **5 April** the library will open on
Sundays from 11am to 4pm for a trial of six months.

We will publish the visitor numbers at the end of the trial.`;

function responseSample(recorded: boolean): EmailSample {
  return {
    template: "response",
    description: recorded
      ? "A response an organizer recorded from a letter, to each signer who asked for updates, once, with their own unsubscribe links."
      : "A decision maker’s response, to each signer who asked for updates, once, with their own unsubscribe links and the RFC 8058 one-click headers.",
    render: (site, lang) => {
      const email = responseEmail({
        site,
        lang,
        petitionTitle: PETITION,
        name: "Councillor Priya Shah",
        title: "Cabinet Member for Culture",
        respondedOn: formatDate("2027-03-03", lang.locale as Locale),
        bodyHtml: renderMarkdown(RESPONSE_BODY),
        bodyText: RESPONSE_BODY.replace(/\*\*/g, ""),
        responseUrl: `${site.appUrl}/petitions/${SLUG}/responses/1`,
        recorded: recorded ? { sourceUrl: "https://example.org/council/letters/2027-03-03" } : null,
      });
      const petitionLink = `${site.appUrl}/unsubscribe/p1.${MAC}`;
      const allLink = `${site.appUrl}/unsubscribe/a1.${MAC}`;
      const fill = (s: string) =>
        fillUpdateLinks(s, { petition: petitionLink, all: allLink, manage: `${site.appUrl}/signature/${MAC}` });
      return {
        subject: email.subject,
        html: fill(email.html),
        text: fill(email.text),
        headers: { "List-Unsubscribe": `<${petitionLink}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
      };
    },
  };
}

/** One sample per response notice; a new event without a sample here fails the type check. */
const NOTICE_SAMPLES: Record<ResponseNoticeEvent, { description: string; extra: Partial<ResponseNoticeData> }> = {
  responded: {
    description: "To the organizers when a decision maker publishes a response through their link.",
    extra: { emailedTo: 212 },
  },
  hidden: {
    description: "To the organizers when a moderator hides a response, with the reason.",
    extra: { reason: "It insults the signers by name." },
  },
  "hidden-to-maker": {
    description: "To the decision maker when a moderator hides the response they published, with the reason.",
    extra: { reason: "It insults the signers by name." },
  },
  "not-for-me": {
    description: "To the organizers when the person at a decision maker’s address says the petition is not for them.",
    extra: {},
  },
};

function noticeSample(event: ResponseNoticeEvent): EmailSample {
  return {
    template: "response-notice",
    description: NOTICE_SAMPLES[event].description,
    render: (site, lang) =>
      responseNoticeEmail({
        site,
        lang,
        event,
        petitionTitle: PETITION,
        makerName: "Councillor Priya Shah",
        heading: "Response from Councillor Priya Shah, Cabinet Member for Culture",
        respondedOn: formatDate("2027-03-03", lang.locale as Locale),
        url: `${site.appUrl}/petitions/${SLUG}/responses/1`,
        ...NOTICE_SAMPLES[event].extra,
      }),
  };
}

export const EMAIL_SAMPLES: Record<string, EmailSample> = {
  layout: {
    template: "layout",
    description:
      "The frame every email shares: the site's name, one column, the footer. Shown here with a placeholder body.",
    render: (site, lang) =>
      renderEmail({
        site,
        lang,
        subject: lang.t("email.layoutSample.subject"),
        preheader: lang.t("email.layoutSample.preheader"),
        // createElement rather than JSX keeps this module a plain .ts file.
        body: createElement(
          Fragment,
          null,
          createElement("p", { style: { marginTop: 0 } }, lang.t("email.layoutSample.body")),
          createElement(Small, null, lang.t("email.layoutSample.small")),
        ),
        text: lang.t("email.layoutSample.body"),
        footer: (site) => lang.t("email.layoutSample.footer", { site }),
      }),
  },
  "confirm-signature": {
    template: "confirm-signature",
    description: "To a new signer: the link that confirms their signature.",
    render: (site, lang) =>
      confirmSignatureEmail(
        {
          site,
          signerName: "Ada Lovelace",
          manageUrl: `${site.appUrl}/signature/${TOKEN}`,
          petitionTitle: PETITION,
          confirmUrl: `${site.appUrl}/confirm/${TOKEN}`,
          expiresInDays: 14,
        },
        lang,
      ),
  },
  "already-signed": {
    template: "already-signed",
    description: "Instead of a confirmation, when someone who has already confirmed signs the same petition again.",
    render: (site, lang) =>
      alreadySignedEmail(
        {
          site,
          signerName: "Ada Lovelace",
          manageUrl: `${site.appUrl}/signature/${TOKEN}`,
          petitionTitle: PETITION,
          petitionUrl: `${site.appUrl}/petitions/${SLUG}`,
        },
        lang,
      ),
  },
  "manage-links": {
    template: "manage-links",
    description: "The answer to “send me my manage links”: a link for each signature made with the address.",
    render: (site, lang) =>
      manageLinksEmail({
        site,
        lang,
        signatures: [
          { petitionTitle: PETITION, confirmed: true, manageUrl: `${site.appUrl}/signature/${TOKEN}` },
          {
            petitionTitle: "Safe crossings outside every primary school",
            confirmed: false,
            manageUrl: `${site.appUrl}/signature/${TOKEN}`,
          },
        ],
        expiresInDays: 90,
      }),
  },
  "sign-in": {
    template: "sign-in",
    description: "The link that signs an organizer, moderator or admin in.",
    render: (site, lang) =>
      signInEmail({ site, lang, signInUrl: `${site.appUrl}/sign-in/${TOKEN}`, expiresInMinutes: 30 }),
  },
  "organizer-invitation": {
    template: "organizer-invitation",
    description: "To someone an owner invites to co-organize a petition.",
    render: (site, lang) =>
      organizerInvitationEmail({
        site,
        lang,
        petitionTitle: PETITION,
        petitionLanguage: "en",
        invitedBy: "sam@example.org",
        acceptUrl: `${site.appUrl}/invitations/${TOKEN}`,
        expiresInDays: 7,
      }),
  },
  ...Object.fromEntries(
    (Object.keys(STATUS_SAMPLES) as PetitionStatusEvent[]).map((event) => [
      `petition-status-${event}`,
      statusSample(event),
    ]),
  ),
  update: updateSample(false),
  "update-test": updateSample(true),
  "petition-delivery": deliverySample(1_000),
  "petition-delivery-by-hand": deliverySample(null),
  response: responseSample(false),
  "response-recorded": responseSample(true),
  ...Object.fromEntries(
    (Object.keys(NOTICE_SAMPLES) as ResponseNoticeEvent[]).map((event) => [
      `response-notice-${event}`,
      noticeSample(event),
    ]),
  ),
};

export function getEmailSample(name: string): EmailSample | null {
  return Object.hasOwn(EMAIL_SAMPLES, name) ? EMAIL_SAMPLES[name] : null;
}
