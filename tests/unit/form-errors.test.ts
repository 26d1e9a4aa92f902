import { describe, expect, test } from "vitest";
import { z } from "zod";
import { fieldErrors, submittedValues } from "../../app/lib/form-errors";
import { translator } from "../../app/lib/i18n.server";
import { ManageSignatureForm } from "../../app/schemas/manage-signature.server";
import { SignatureForm } from "../../app/schemas/signature.server";

/** What a reader of English sees: the schemas' messages are catalog keys, which the form translates. */
const english = translator("en");

const refused = <T>(result: { success: boolean; error?: T }): T => {
  if (result.success || !result.error) throw new Error("The schema accepted it");
  return result.error;
};

describe("turning a refused form into what it shows", () => {
  test("a signer's mistakes give one message per field: the first, as z.flattenError has it", () => {
    const error = refused(SignatureForm.safeParse({ name: "", email: "sam@@example", country: "XX" }));
    const flat = z.flattenError(error).fieldErrors as Record<string, string[]>;
    const firsts = Object.fromEntries(Object.entries(flat).map(([field, messages]) => [field, messages[0]]));
    expect(fieldErrors(error)).toEqual(firsts);
    const shown = fieldErrors(error);
    expect({ name: english(shown.name), email: english(shown.email) }).toEqual({
      name: "Enter your name",
      email: "Enter an email address like name@example.org",
    });
  });

  test("a field with several problems shows only the first", () => {
    const schema = z.object({
      title: z
        .string()
        .min(10, "Too short")
        .regex(/^[A-Z]/, "Start with a capital"),
    });
    expect(fieldErrors(refused(schema.safeParse({ title: "abc" })))).toEqual({ title: "Too short" });
  });

  test("a problem with the form as a whole goes under the key it is given, or nowhere", () => {
    const error = refused(ManageSignatureForm.safeParse({ intent: "explode" }));
    const withForm = fieldErrors(error, { formKey: "form" });
    expect(Object.values(withForm).map((message) => english(message))).toContain(
      "That is not something this page can do",
    );
    const schema = z.object({ a: z.string() }).refine(() => false, "The whole form is wrong");
    const whole = refused(schema.safeParse({ a: "x" }));
    expect(fieldErrors(whole)).toEqual({});
    expect(fieldErrors(whole, { formKey: "form" })).toEqual({ form: "The whole form is wrong" });
  });

  test("an organizer's decision makers are keyed by their numbered fields", () => {
    const schema = z.object({
      decisionMakers: z.array(z.object({ name: z.string().min(2, "Enter a name") })).min(1, "Name someone"),
    });
    const keyOf = ([head, index, leaf]: readonly PropertyKey[]) =>
      typeof index === "number" ? `maker-${String(leaf)}-${index}` : String(head);
    const rows = refused(schema.safeParse({ decisionMakers: [{ name: "Ok" }, { name: "x" }] }));
    expect(fieldErrors(rows, { keyOf })).toEqual({ "maker-name-1": "Enter a name" });
    const none = refused(schema.safeParse({ decisionMakers: [] }));
    expect(fieldErrors(none, { keyOf })).toEqual({ decisionMakers: "Name someone" });
  });

  test("the answers kept are the text fields, the last of a repeated name, without those left out", () => {
    const form = new FormData();
    form.append("name", "Sam");
    form.append("id", "1");
    form.append("id", "2");
    form.append("choice", "a");
    form.append("choice", "b");
    form.append("image", new Blob(["x"]), "x.png");
    expect(submittedValues(form, ["id"])).toEqual({ name: "Sam", choice: "b" });
  });
});
