import { expect, test } from "vitest";
import { formatName } from "./name";
import { formatSex } from "./sex";

test("names read FAMILY, Given (Preferred)", () => {
  expect(formatName({ familyName: "Rossi", givenName: "Dana", preferredName: null })).toBe(
    "ROSSI, Dana",
  );
  expect(formatName({ familyName: "O'Neil", givenName: "Margaret", preferredName: "Peggy" })).toBe(
    "O'NEIL, Margaret (Peggy)",
  );
  expect(formatName({ familyName: "Müller", givenName: "Jo", preferredName: " " })).toBe(
    "MÜLLER, Jo",
  );
  expect(formatName({ familyName: "Lee", givenName: "Sam", preferredName: "Sam" })).toBe(
    "LEE, Sam",
  );
});

test("sex at birth reads Not known when nothing is recorded", () => {
  expect(formatSex(null)).toBe("Not known");
  expect(formatSex("unknown")).toBe("Not known");
  expect(formatSex("intersex")).toBe("Intersex");
});
