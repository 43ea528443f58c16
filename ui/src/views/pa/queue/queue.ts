// The work queue's words: the CMS-0057-F decision clock in plain English, and counts by status.
// The core decides when a decision is due and whether it is overdue; this only says it.
import type { DecisionClockView, QueueItemView, RequestStatusName } from "../../../lib/bindings";
import { formatDateTime } from "../../../lib/format/date";
import { awaitsDecision, STATUS_ORDER } from "../tracker/tracker";

/** Why some requests have no federal decision clock, shown under the table. */
export const NO_CLOCK_EXPLANATION =
  "CMS-0057-F applies to Medicare Advantage, Medicaid and CHIP, not to commercial plans, exchange plans' timeframes, or drugs";

function unit(n: number, one: string): string {
  return `${n} ${n === 1 ? one : `${one}s`}`;
}

/** "2 days", "5 hours", "40 minutes": whole units, rounded down, never "0 days". */
export function spanText(minutes: number): string {
  const m = Math.max(0, Math.floor(minutes));
  if (m >= 24 * 60) return unit(Math.floor(m / (24 * 60)), "day");
  if (m >= 60) return unit(Math.floor(m / 60), "hour");
  return unit(m, "minute");
}

export type ClockWords =
  | { kind: "due"; text: string; rule: string }
  | { kind: "overdue"; text: string; due: string; rule: string }
  | { kind: "none"; text: string }
  | { kind: "not_applicable"; text: string };

/** The rule beside a clock: "CMS-0057-F, expedited: 72 hours" or "…, standard: 7 days". */
function ruleText(c: DecisionClockView): string {
  const time =
    c.hours % 24 === 0 && !c.expedited ? unit(c.hours / 24, "day") : unit(c.hours, "hour");
  return `${c.rule}, ${c.expedited ? "expedited" : "standard"}: ${time}`;
}

/**
 * "Due 25-Nov-2026 14:00 (in 2 days)", "Overdue by 5 hours", "No federal clock" (a decision is
 * owed but the rule does not bind this payer or service), or "Not applicable" (no decision owed).
 */
export function clockWords(clock: DecisionClockView | null, status: RequestStatusName): ClockWords {
  if (clock === null) {
    return awaitsDecision(status)
      ? { kind: "none", text: "No federal clock" }
      : { kind: "not_applicable", text: "Not applicable" };
  }
  const due = formatDateTime(clock.due);
  if (clock.overdue || clock.minutesLeft < 0) {
    return {
      kind: "overdue",
      text: `Overdue by ${spanText(-clock.minutesLeft)}`,
      due: `Was due ${due}`,
      rule: ruleText(clock),
    };
  }
  const left = clock.minutesLeft < 1 ? "now" : `in ${spanText(clock.minutesLeft)}`;
  return { kind: "due", text: `Due ${due} (${left})`, rule: ruleText(clock) };
}

/** How many requests have each status, in workflow order, leaving out statuses with none. */
export function statusCounts(
  items: readonly QueueItemView[],
): { value: RequestStatusName; label: string; count: number }[] {
  return STATUS_ORDER.map((s) => ({
    ...s,
    count: items.filter((i) => i.status === s.value).length,
  })).filter((s) => s.count > 0);
}

/** "1 day", "12 days": how long a request has been open. */
export function ageText(days: number): string {
  return unit(days, "day");
}
