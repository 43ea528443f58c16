import { describe, expect, test } from "vitest";
import { formatAge, formatDate, formatDateLong, isoToDateParts } from "./date";

describe("formatDate", () => {
  test("shows a full date as DD-Mmm-YYYY", () => {
    expect(formatDate("1975-03-27")).toBe("27-Mar-1975");
    expect(formatDate("2025-03-03")).toBe("03-Mar-2025");
    expect(formatDate("2026-12-31")).toBe("31-Dec-2026");
    expect(formatDate("2024-02-29")).toBe("29-Feb-2024");
  });

  test("keeps partial dates partial: no invented day or month", () => {
    expect(formatDate("2021-03")).toBe("Mar-2021");
    expect(formatDate("2021")).toBe("2021");
  });

  test("does not depend on the OS locale or time zone", () => {
    // A Date parsed in a zone west of UTC would shift "1975-01-01" back to 31-Dec-1974.
    expect(formatDate("1975-01-01")).toBe("01-Jan-1975");
  });

  test("returns text that is not a real ISO date unchanged, never a guess", () => {
    expect(formatDate("2023-02-29")).toBe("2023-02-29");
    expect(formatDate("2021-13")).toBe("2021-13");
    expect(formatDate("2021-00-10")).toBe("2021-00-10");
    expect(formatDate("3/27/1975")).toBe("3/27/1975");
    expect(formatDate("")).toBe("");
  });
});

describe("formatDateLong", () => {
  test("gives screen readers the long form", () => {
    expect(formatDateLong("2025-03-03")).toBe("3 March 2025");
    expect(formatDateLong("2021-03")).toBe("March 2021");
    expect(formatDateLong("2021")).toBe("2021");
  });
});

describe("formatAge and isoToDateParts", () => {
  test("age in years after a date of birth", () => {
    expect(formatAge(50)).toBe("(50y)");
    expect(formatAge(0)).toBe("(0y)");
  });

  test("splits a date into boxes as a person types them", () => {
    expect(isoToDateParts("1975-03-07")).toEqual({ month: "3", day: "7", year: "1975" });
    expect(isoToDateParts("2021-03")).toEqual({ month: "3", day: "", year: "2021" });
    expect(isoToDateParts("nonsense")).toEqual({ month: "", day: "", year: "" });
  });
});
