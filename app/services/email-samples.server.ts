import { createElement, Fragment } from "react";
import { alreadySignedEmail } from "../../emails/already-signed";
import { confirmSignatureEmail } from "../../emails/confirm-signature";
import { renderEmail, Small, type Email, type SiteContext } from "../../emails/layout";
import { manageLinksEmail } from "../../emails/manage-links";
import { organizerInvitationEmail } from "../../emails/organizer-invitation";
import { petitionStatusEmail, type PetitionStatusData, type PetitionStatusEvent } from "../../emails/petition-status";
import { signInEmail } from "../../emails/sign-in";
import { fillUpdateLinks, updateEmail } from "../../emails/update";
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
  render: (site: SiteContext) => Email & { headers?: Record<string, string> };
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
    render: (site) =>
      petitionStatusEmail({
        site,
        event,
        petitionTitle: PETITION,
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
    render: (site) => {
      const email = updateEmail({
        site,
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

export const EMAIL_SAMPLES: Record<string, EmailSample> = {
  layout: {
    template: "layout",
    description:
      "The frame every email shares: the site's name, one column, the footer. Shown here with a placeholder body.",
    render: (site) =>
      renderEmail({
        site,
        subject: "The shared email layout",
        preheader: "The preheader: the line some mail clients show after the subject.",
        // createElement rather than JSX keeps this module a plain .ts file.
        body: createElement(
          Fragment,
          null,
          createElement(
            "p",
            { style: { marginTop: 0 } },
            "Every email is written into this frame, with inline styles and no images.",
          ),
          createElement(Small, null, "Small print looks like this."),
        ),
        text: "Every email is written into this frame, with inline styles and no images.",
        footer: (site) =>
          `The footer: why this address gets this email from ${site}, and what ignoring it means, in words true for each kind of email.`,
      }),
  },
  "confirm-signature": {
    template: "confirm-signature",
    description: "To a new signer: the link that confirms their signature.",
    render: (site) =>
      confirmSignatureEmail({
        site,
        signerName: "Ada Lovelace",
        manageUrl: `${site.appUrl}/signature/${TOKEN}`,
        petitionTitle: PETITION,
        confirmUrl: `${site.appUrl}/confirm/${TOKEN}`,
        expiresInDays: 14,
      }),
  },
  "already-signed": {
    template: "already-signed",
    description: "Instead of a confirmation, when someone who has already confirmed signs the same petition again.",
    render: (site) =>
      alreadySignedEmail({
        site,
        signerName: "Ada Lovelace",
        manageUrl: `${site.appUrl}/signature/${TOKEN}`,
        petitionTitle: PETITION,
        petitionUrl: `${site.appUrl}/petitions/${SLUG}`,
      }),
  },
  "manage-links": {
    template: "manage-links",
    description: "The answer to “send me my manage links”: a link for each signature made with the address.",
    render: (site) =>
      manageLinksEmail({
        site,
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
    render: (site) => signInEmail({ site, signInUrl: `${site.appUrl}/sign-in/${TOKEN}`, expiresInMinutes: 30 }),
  },
  "organizer-invitation": {
    template: "organizer-invitation",
    description: "To someone an owner invites to co-organize a petition.",
    render: (site) =>
      organizerInvitationEmail({
        site,
        petitionTitle: PETITION,
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
};

export function getEmailSample(name: string): EmailSample | null {
  return Object.hasOwn(EMAIL_SAMPLES, name) ? EMAIL_SAMPLES[name] : null;
}
