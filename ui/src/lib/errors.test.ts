import { expect, test } from "vitest";
import { fieldId, formErrors, idMap } from "./errors";

test("field names become element ids", () => {
  expect(fieldId("birthDate.month")).toBe("birthDate-month");
  expect(fieldId("emergencyContact.phone")).toBe("emergencyContact-phone");
  expect(fieldId("givenName")).toBe("givenName");
});

test("a validation error gives one summary line and one inline message per field", () => {
  const e = formErrors({
    code: "Validation",
    message: "2 problems",
    fields: [
      { field: "givenName", message: "Enter the patient's given name" },
      { field: "birthDate.month", message: "Date of birth must include a month" },
      { field: "givenName", message: "A second message for the same field" },
    ],
  });
  expect(e.summary).toEqual([
    { message: "Enter the patient's given name", target: "givenName" },
    { message: "Date of birth must include a month", target: "birthDate-month" },
  ]);
  expect(e.byField["givenName"]).toBe("Enter the patient's given name");
});

test("an error without fields shows its message in the summary, with no link", () => {
  const e = formErrors({ code: "Conflict", message: "This patient was changed by someone else" });
  expect(e.summary).toEqual([{ message: "This patient was changed by someone else" }]);
  expect(e.byField).toEqual({});
});

test("forms with their own ids map field names through a table", () => {
  const e = formErrors(
    { code: "Validation", message: "x", fields: [{ field: "passphrase", message: "Wrong" }] },
    idMap({ passphrase: "unlock-passphrase" }),
  );
  expect(e.summary[0]?.target).toBe("unlock-passphrase");
});
