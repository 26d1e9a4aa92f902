/**
 * An OSDI 1.1 client written from the specification (https://github.com/opensupporter/osdi-docs: aep.md,
 * petitions.md, signatures.md, record_signature.md and README.md "Collections and Navigation"), not from
 * this app's code: it starts at the API Entry Point, finds everything else by following links by their
 * rel, and pages through collections with their `next` links. The example documents below are the spec's
 * own, trimmed only where the spec itself writes "(truncated for brevity)"; `shapeProblems` checks a
 * server's documents against them.
 */

export type HalLink = { href: string; title?: string; templated?: boolean };
export type HalDocument = {
  _links?: Record<string, HalLink | HalLink[]>;
  _embedded?: Record<string, HalDocument[] | HalDocument>;
  [field: string]: unknown;
};

/** aep.md, "Scenario: Retrieving the API Entry Point resource (GET)". */
export const SPEC_AEP = {
  motd: "Welcome to the OSDI API Entry Point!",
  vendor_name: "Foobar Incorporated",
  product_name: "Curly Braces OSDI Server",
  osdi_version: "1.0",
  max_pagesize: 25,
  namespace: "osdi_sample_system",
  _links: {
    curies: [{ name: "osdi", href: "https://osdi-sample-system.org/docs/v1/{rel}", templated: true }],
    self: { href: "https://osdi-sample-system.org/api/v1/", title: "This API entry point" },
    "osdi:petitions": {
      href: "https://osdi-sample-system.org/api/v1/petitions",
      title: "The collection of petitions in the system",
    },
  },
};

/** petitions.md, "Scenario: Retrieving a collection of Petition resources (GET)": the collection's own fields. */
export const SPEC_COLLECTION = {
  total_pages: 10,
  per_page: 25,
  page: 1,
  total_records: 250,
  _links: {
    next: { href: "https://osdi-sample-system.org/api/v1/petitions?page=2" },
    self: { href: "https://osdi-sample-system.org/api/v1/petitions" },
  },
};

/** petitions.md, the first petition of the collection example. */
export const SPEC_PETITION = {
  identifiers: ["osdi_sample_system:d91b4b2e-ae0e-4cd3-9ed7-d0ec501b0bc3", "foreign_system:1"],
  origin_system: "OSDI Sample System",
  created_date: "2014-03-20T21:04:31Z",
  modified_date: "2014-03-20T21:04:31Z",
  name: "Acme Co Petition",
  title: "Tell Acme Co To Stop Doing The Bad Thing",
  description: "<p>Acme Co is doing a bad thing!</p><p>Sign this petition to tell them to stop.</p>",
  summary: "Acme Co is doing a bad thing!",
  petition_text: "To: Acme Co -- Stop doing the bad thing!",
  browser_url: "http://osdi-sample-system.org/petitions/acme-co-stop-doing-the-bad-thing",
  administrative_url: "http://osdi-sample-system.org/petitions/acme-co-stop-doing-the-bad-thing/manage",
  featured_image_url: "http://osdi-sample-system.org/images/petition-image.jpg",
  total_signatures: 345,
  target: [{ name: "Jane Doe, CEO, Acme Co" }, { name: "John Smith, Chairman, Acme Co" }],
  _links: {
    self: { href: "https://osdi-sample-system.org/api/v1/petitions/d91b4b2e-ae0e-4cd3-9ed7-d0ec501b0bc3" },
    "osdi:signatures": {
      href: "https://osdi-sample-system.org/api/v1/petitions/d91b4b2e-ae0e-4cd3-9ed7-d0ec501b0bc3/signatures",
    },
    "osdi:record_signature_helper": {
      href: "https://osdi-sample-system.org/api/v1/petitions/d91b4b2e-ae0e-4cd3-9ed7-d0ec501b0bc3/record_signature_helper",
    },
  },
};

/** signatures.md, the first signature of the collection example. */
export const SPEC_SIGNATURE = {
  identifiers: ["osdi_sample_system:d91b4b2e-ae0e-4cd3-9ed7-d0ec501b0bc3", "foreign_system:1"],
  origin_system: "OSDI Sample System",
  created_date: "2014-03-20T21:04:31Z",
  modified_date: "2014-03-20T21:04:31Z",
  action_date: "2014-03-18T11:02:15Z",
  comments: "Please stop doing the bad thing!",
  referrer_data: {
    source: "facebook-101016-mainpage",
    referrer: "jane-doe",
    website: "facebook.com",
    url: "https://facebook.com/posts/12345",
  },
  _links: {
    self: {
      href: "https://osdi-sample-system.org/api/v1/petitions/c945d6fe-929e-11e3-a2e9-12313d316c29/signatures/d91b4b2e-ae0e-4cd3-9ed7-d0ec501b0bc3",
    },
    "osdi:petition": { href: "https://osdi-sample-system.org/api/v1/petitions/c945d6fe-929e-11e3-a2e9-12313d316c29" },
  },
};

/** record_signature.md, "Scenario: Creating a new signature and person (POST)": the request body. */
export function specRecordSignatureRequest(email: string) {
  return {
    person: {
      identifiers: ["foreign_system:1"],
      family_name: "Edwin",
      given_name: "Labadie",
      additional_name: "Marques",
      origin_system: "OpenSupporter",
      email_addresses: [{ address: email, primary: true, address_type: "Personal" }],
      postal_addresses: [
        {
          primary: true,
          address_lines: ["935 Ed Lock"],
          locality: "New Dudley",
          region: "MN",
          postal_code: "17678",
          country: "RU",
          address_type: "Home",
          status: "Verified",
        },
      ],
      phone_numbers: [{ primary: true, number: 19876543210, number_type: "Mobile", sms_capable: true }],
      gender: "Male",
    },
    identifiers: ["foreign_system:1"],
    origin_system: "OpenSupporter",
    action_date: "2014-03-18T11:02:15Z",
    comments: "Support our campaign!",
    referrer_data: {
      source: "facebook-101016-mainpage",
      referrer: "jane-doe",
      website: "facebook.com",
      url: "https://facebook.com/posts/12345",
    },
    triggers: { autoresponse: { enabled: true } },
  };
}

const kind = (v: unknown) => (Array.isArray(v) ? "array" : v === null ? "null" : typeof v);

/**
 * Where a document differs in shape from the spec's example: each field both have must be of the example's
 * JSON type (recursively), and `required` fields must be there. Fields the example lacks are extensions.
 */
export function shapeProblems(example: unknown, actual: unknown, required: string[] = [], at = "$"): string[] {
  const problems: string[] = [];
  if (kind(example) !== kind(actual)) return [`${at}: ${kind(actual)} where the spec has ${kind(example)}`];
  if (kind(example) === "object") {
    const e = example as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    for (const key of required) if (!(key in a)) problems.push(`${at}.${key}: missing`);
    for (const key of Object.keys(a)) {
      if (key in e) problems.push(...shapeProblems(e[key], a[key], [], `${at}.${key}`));
    }
  } else if (kind(example) === "array") {
    const e = example as unknown[];
    for (const [i, item] of (actual as unknown[]).entries()) {
      if (e.length) problems.push(...shapeProblems(e[0], item, [], `${at}[${i}]`));
    }
  }
  return problems;
}

export class OsdiClient {
  constructor(
    private readonly entryPoint: string,
    private readonly token: string | null,
  ) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { Accept: "application/hal+json", ...(this.token ? { "OSDI-API-Token": this.token } : {}), ...extra };
  }

  async get(href: string): Promise<{ status: number; contentType: string | null; body: HalDocument }> {
    const res = await fetch(href, { headers: this.headers() });
    return {
      status: res.status,
      contentType: res.headers.get("content-type"),
      body: (await res.json()) as HalDocument,
    };
  }

  async post(href: string, body: unknown): Promise<{ status: number; body: HalDocument }> {
    const res = await fetch(href, {
      method: "POST",
      headers: this.headers({ "Content-Type": "application/json" }),
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as HalDocument };
  }

  async aep(): Promise<HalDocument> {
    const res = await this.get(this.entryPoint);
    if (res.status !== 200) throw new Error(`The entry point answered ${res.status}`);
    return res.body;
  }

  /** The href of a document's link with this rel (the first, if it is a list). */
  static link(doc: HalDocument, rel: string): string {
    const link = doc._links?.[rel];
    const first = Array.isArray(link) ? link[0] : link;
    if (!first) throw new Error(`No ${rel} link in ${JSON.stringify(doc._links)}`);
    return first.href;
  }

  /** Every item of a collection, following `next` links; also the pages as they came. */
  async all(href: string, rel: string): Promise<{ items: HalDocument[]; pages: HalDocument[] }> {
    const items: HalDocument[] = [];
    const pages: HalDocument[] = [];
    let next: string | undefined = href;
    while (next) {
      const res = await this.get(next);
      if (res.status !== 200) throw new Error(`${next} answered ${res.status}`);
      pages.push(res.body);
      const embedded = res.body._embedded?.[rel];
      items.push(...(Array.isArray(embedded) ? embedded : embedded ? [embedded] : []));
      const link = res.body._links?.next;
      next = link && !Array.isArray(link) ? link.href : undefined;
      if (pages.length > 1000) throw new Error("The collection never ends");
    }
    return { items, pages };
  }
}
