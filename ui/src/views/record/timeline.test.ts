import { expect, test } from "vitest";
import { timelineSpan } from "../../test/chart";
import {
  axisFor,
  earliest,
  endText,
  latest,
  precisionOf,
  segments,
  ticks,
  uncertainty,
} from "./timeline";

const today = Date.UTC(2026, 2, 15);

test("a partial date means a range of days, never one invented day", () => {
  expect(precisionOf("2023")).toBe("year");
  expect(precisionOf("2023-02")).toBe("month");
  expect(precisionOf("2023-02-14")).toBe("day");
  expect(new Date(earliest("2024-02")).toISOString().slice(0, 10)).toBe("2024-02-01");
  expect(new Date(latest("2024-02")).toISOString().slice(0, 10)).toBe("2024-02-29");
  expect(new Date(latest("2023")).toISOString().slice(0, 10)).toBe("2023-12-31");
  expect(latest("2023-05-17")).toBe(earliest("2023-05-17"));
});

test("a start and end in overlapping ranges are one uncertain stretch", () => {
  const span = timelineSpan({ start: "2023", end: "2023-06", endDisplay: "Jun-2023" });
  const axis = axisFor([span], today);
  const s = segments(span, axis, today);
  expect(s.map((x) => x.kind)).toEqual(["uncertain"]);
  expect(uncertainty(span)).toEqual([
    "start known to the year only",
    "end known to the month only",
  ]);
  expect(endText(span)).toBe("Jun-2023 (month only)");
});

test("an ongoing span that started this month has an uncertain, open bar", () => {
  const span = timelineSpan({ start: "2026-03", end: null, endDisplay: null, ongoing: true });
  const s = segments(span, axisFor([span], today), today);
  expect(s.map((x) => [x.kind, x.open ?? false])).toEqual([["uncertain", true]]);
  expect(endText(span)).toBe("Ongoing");
  expect(uncertainty(span)).toEqual(["start known to the month only"]);
});

test("long histories thin the year labels to a dozen or fewer", () => {
  const span = timelineSpan({ start: "1994", end: "1995" });
  const axis = axisFor([span], today);
  const t = ticks(axis);
  expect(t.length).toBeLessThanOrEqual(12);
  expect(t.map((x) => x.year).slice(0, 3)).toEqual([1994, 1999, 2004]);
  expect(t[0]?.at).toBe(0);
});
