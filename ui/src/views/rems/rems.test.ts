import { expect, test } from "vitest";
import { daysLeftText, exportFileName, todayIso } from "./rems";

test("days left are said in words, overdue included", () => {
  expect(daysLeftText(3)).toBe("3 days left");
  expect(daysLeftText(1)).toBe("1 day left");
  expect(daysLeftText(0)).toBe("Due today");
  expect(daysLeftText(-1)).toBe("1 day overdue");
  expect(daysLeftText(-2)).toBe("2 days overdue");
});

test("today is the local date, and file names carry no patient details", () => {
  const now = new Date(2026, 2, 7, 9, 4, 5);
  expect(todayIso(now)).toBe("2026-03-07");
  expect(exportFileName("rems", now)).toBe("ketachart-rems-form-2026-03-07-090405.pdf");
  expect(exportFileName("summary", now)).toBe("ketachart-session-summary-2026-03-07-090405.pdf");
});
