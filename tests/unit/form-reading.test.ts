import { describe, expect, test } from "vitest";
import { MAX_FORM_BYTES, readForm } from "../../app/lib/form.server";

// readForm limits a body's size and hands it to the Fetch API's formData(): the entries must be exactly what formData() gives.

const entries = (form: FormData) => [...form.entries()];

function post(body: BodyInit, contentType?: string): Request {
  return new Request("http://localhost/form", {
    method: "POST",
    body,
    headers: contentType ? { "content-type": contentType } : {},
  });
}

async function viaFetch(body: Uint8Array<ArrayBuffer> | string, contentType: string) {
  return entries(await new Response(body, { headers: { "content-type": contentType } }).formData());
}

describe("url-encoded bodies", () => {
  const bodies: [string, Uint8Array<ArrayBuffer> | string][] = [
    ["plain fields", "name=Ada+Lovelace&email=ada%40example.org&country=GB"],
    ["repeated names, empty values and names", "a=1&a=2&b=&=x&c"],
    ["unicode, escaped and raw", "name=%C3%89lodie+%F0%9F%98%80&city=Zürich"],
    ["a broken escape", "a=%zz&b=%E2%82"],
    ["bytes that are not UTF-8", new Uint8Array([0x6e, 0x3d, 0xff, 0xfe, 0x41])],
    ["separators only", "&&=&"],
    ["an empty body", ""],
  ];
  for (const [what, body] of bodies) {
    test(`${what}: the same entries as formData()`, async () => {
      const type = "application/x-www-form-urlencoded";
      expect(entries(await readForm(post(body, type)))).toEqual(await viaFetch(body, type));
    });
  }

  test("with a charset, in any case, and with no content type at all", async () => {
    const body = "name=%C3%89lodie";
    expect(entries(await readForm(post(body, "Application/X-WWW-Form-Urlencoded; charset=UTF-8")))).toEqual([
      ["name", "Élodie"],
    ]);
    const untyped = new Request("http://localhost/form", { method: "POST", body: new TextEncoder().encode(body) });
    expect(entries(await readForm(untyped))).toEqual([["name", "Élodie"]]);
  });
});

test("multipart bodies are still read by the Fetch API", async () => {
  const form = new FormData();
  form.append("name", "Ada");
  form.append("note", "two\r\nlines");
  const request = new Request("http://localhost/form", { method: "POST", body: form });
  expect(entries(await readForm(request))).toEqual([
    ["name", "Ada"],
    ["note", "two\r\nlines"],
  ]);
});

test("a body over the limit is refused with a 413, whatever it claims its length is", async () => {
  const big = "a=" + "x".repeat(MAX_FORM_BYTES);
  const refusal = await readForm(post(big, "application/x-www-form-urlencoded")).catch((r: unknown) => r);
  expect(refusal).toBeInstanceOf(Response);
  expect((refusal as Response).status).toBe(413);
});
