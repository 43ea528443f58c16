import { expect, test } from "vitest";
import type { DecisionClockView } from "../../../lib/bindings";
import { formatDateTime } from "../../../lib/format/date";
import { queueItem } from "../tracker/test-fixtures";
import { ageText, clockWords, spanText, statusCounts } from "./queue";

function clock(overrides: Partial<DecisionClockView> = {}): DecisionClockView {
  return {
    rule: "CMS-0057-F",
    expedited: false,
    hours: 168,
    due: "2026-11-25T14:00:00Z",
    overdue: false,
    minutesLeft: 2 * 24 * 60 + 30,
    ...overrides,
  };
}

test("spans of time read in whole days, hours or minutes", () => {
  expect(spanText(2 * 24 * 60 + 30)).toBe("2 days");
  expect(spanText(24 * 60)).toBe("1 day");
  expect(spanText(5 * 60 + 59)).toBe("5 hours");
  expect(spanText(60)).toBe("1 hour");
  expect(spanText(40)).toBe("40 minutes");
  expect(spanText(1)).toBe("1 minute");
  expect(spanText(-5)).toBe("0 minutes");
});

test("the decision clock in words: due, overdue, no federal clock, or not applicable", () => {
  const due = clockWords(clock(), "submitted");
  expect(due).toEqual({
    kind: "due",
    text: `Due ${formatDateTime("2026-11-25T14:00:00Z")} (in 2 days)`,
    rule: "CMS-0057-F, standard: 7 days",
  });
  const overdue = clockWords(
    clock({ expedited: true, hours: 72, overdue: true, minutesLeft: -300 }),
    "pending",
  );
  expect(overdue).toMatchObject({
    kind: "overdue",
    text: "Overdue by 5 hours",
    rule: "CMS-0057-F, expedited: 72 hours",
  });
  expect(clockWords(clock({ minutesLeft: 0 }), "submitted").text).toMatch(/\(now\)$/);
  expect(clockWords(null, "pending")).toEqual({ kind: "none", text: "No federal clock" });
  expect(clockWords(null, "appealed").kind).toBe("none");
  expect(clockWords(null, "draft")).toEqual({ kind: "not_applicable", text: "Not applicable" });
  expect(clockWords(null, "approved").kind).toBe("not_applicable");
});

test("counts by status in workflow order, leaving out statuses with none", () => {
  const items = [
    queueItem({ status: "approved" }),
    queueItem({ status: "draft" }),
    queueItem({ status: "approved" }),
  ];
  expect(statusCounts(items)).toEqual([
    { value: "draft", label: "Draft", count: 1 },
    { value: "approved", label: "Approved", count: 2 },
  ]);
  expect(ageText(1)).toBe("1 day");
  expect(ageText(0)).toBe("0 days");
});
