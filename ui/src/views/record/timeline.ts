// The geometry and words of the patient timeline: each span becomes bar segments on a shared
// date axis. A partial date ("2023-05", "2023") is a range of days, drawn as an uncertain
// (hatched) segment over that range and labelled so, never placed on an invented day.
import type { TimelineSpan } from "../../lib/bindings";

const DAY = 86_400_000;

export type Precision = "day" | "month" | "year";

/** How precise a stored date is: `2023`, `2023-05` or `2023-05-17`. */
export function precisionOf(iso: string): Precision {
  if (/^\d{4}$/.test(iso)) return "year";
  if (/^\d{4}-\d{2}$/.test(iso)) return "month";
  return "day";
}

function parts(iso: string): [number, number | undefined, number | undefined] {
  const [y, m, d] = iso.split("-").map(Number);
  return [y ?? 1970, m, d];
}

/** The first day a stored date can mean, as a UTC time value. */
export function earliest(iso: string): number {
  const [y, m, d] = parts(iso);
  return Date.UTC(y, (m ?? 1) - 1, d ?? 1);
}

/** The last day a stored date can mean, as a UTC time value. */
export function latest(iso: string): number {
  const [y, m, d] = parts(iso);
  if (m === undefined) return Date.UTC(y, 11, 31);
  if (d === undefined) return Date.UTC(y, m, 0);
  return Date.UTC(y, m - 1, d);
}

/** Today's local date as a UTC time value, so it compares with the stored dates. */
export function todayValue(now: Date = new Date()): number {
  return Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
}

/** "2023 (year only)", "May-2023 (month only)", "17-May-2023". */
export function dateWithPrecision(iso: string, display: string): string {
  const p = precisionOf(iso);
  if (p === "year") return `${display} (year only)`;
  if (p === "month") return `${display} (month only)`;
  return display;
}

export const LANE_LABELS: Record<string, string> = {
  episode: "Depressive episode",
  medication: "Medication trial",
  psychotherapy: "Psychotherapy",
  other_treatment: "Other treatment",
};

export function laneLabel(lane: string): string {
  return LANE_LABELS[lane] ?? "Other";
}

/** The span's lane as a class-name-safe word, for its colour. */
export function laneClass(lane: string): string {
  return lane in LANE_LABELS ? lane.replace("_", "-") : "other";
}

export type Axis = { from: number; to: number };

/** Year ticks: whole years, thinned so that about a dozen labels at most fit across. */
export type Tick = { year: number; at: number };

/**
 * From 1 January of the first year any span can start to 1 January after the later of today and
 * the last day any span can end.
 */
export function axisFor(spans: readonly TimelineSpan[], today: number): Axis {
  let first = today;
  let last = today;
  for (const s of spans) {
    first = Math.min(first, earliest(s.start));
    if (s.end) last = Math.max(last, latest(s.end));
  }
  const y0 = new Date(first).getUTCFullYear();
  const y1 = new Date(last).getUTCFullYear() + 1;
  return { from: Date.UTC(y0, 0, 1), to: Date.UTC(y1, 0, 1) };
}

/** Where a day falls on the axis, in percent of its width. */
export function position(axis: Axis, value: number): number {
  const pct = ((value - axis.from) / (axis.to - axis.from)) * 100;
  return Math.min(100, Math.max(0, pct));
}

export function ticks(axis: Axis, maxLabels = 12): Tick[] {
  const y0 = new Date(axis.from).getUTCFullYear();
  const y1 = new Date(axis.to).getUTCFullYear();
  const years = y1 - y0;
  const step = [1, 2, 5, 10, 20, 50].find((s) => years / s <= maxLabels) ?? 100;
  const out: Tick[] = [];
  for (let y = y0; y < y1; y += 1) {
    if ((y - y0) % step === 0) out.push({ year: y, at: position(axis, Date.UTC(y, 0, 1)) });
  }
  return out;
}

/**
 * One piece of a bar: `known` where the dates are certain, `uncertain` over the range of days a
 * partial date can mean, `unknown` for a tail whose end was never recorded.
 */
export type Segment = {
  kind: "known" | "uncertain" | "unknown";
  left: number;
  width: number;
  /** The bar runs on past today (ongoing): drawn with an open end. */
  open?: boolean;
};

/** How long the faded tail of a span with no recorded end is drawn (it means "not known"). */
const UNKNOWN_TAIL_DAYS = 90;

export function segments(span: TimelineSpan, axis: Axis, today: number): Segment[] {
  const s0 = earliest(span.start);
  const s1 = Math.max(s0, latest(span.start));
  const out: Segment[] = [];
  const piece = (kind: Segment["kind"], from: number, to: number) => {
    const left = position(axis, from);
    const width = Math.max(0, position(axis, Math.max(from, to) + DAY) - left);
    out.push({ kind, left, width });
  };

  if (span.ongoing) {
    // Runs to today with an open end; a start this month or year may not be certain yet.
    if (s1 > s0) piece("uncertain", s0, Math.min(s1, Math.max(today, s0)));
    if (today > s1 || s1 === s0) piece("known", s1 > s0 ? s1 + DAY : s0, Math.max(today, s0));
    const last = out[out.length - 1];
    if (last) last.open = true;
    return out;
  }

  if (!span.end) {
    if (s1 > s0) piece("uncertain", s0, s1);
    else piece("known", s0, s0);
    const tailEnd = Math.min(s1 + UNKNOWN_TAIL_DAYS * DAY, axis.to - DAY);
    if (tailEnd > s1) piece("unknown", s1 + DAY, tailEnd);
    return out;
  }

  const e1 = Math.max(s0, latest(span.end));
  const e0 = Math.max(s0, Math.min(e1, earliest(span.end)));
  if (e0 <= s1) {
    // The start and end ranges touch or overlap: no day in between is certain.
    piece(s0 === e1 ? "known" : "uncertain", s0, e1);
    return out;
  }
  if (s1 > s0) piece("uncertain", s0, s1);
  const knownFrom = s1 > s0 ? s1 + DAY : s0;
  const knownTo = e1 > e0 ? e0 - DAY : e1;
  if (knownTo >= knownFrom) piece("known", knownFrom, knownTo);
  if (e1 > e0) piece("uncertain", e0, e1);
  return out;
}

/** The end of a span in words for the table: "Ongoing", "Not recorded" or the date. */
export function endText(span: TimelineSpan): string {
  if (span.ongoing) return "Ongoing";
  if (!span.end) return "Not recorded";
  return dateWithPrecision(span.end, span.endDisplay ?? span.end);
}

/** What is uncertain about a span's dates, in words ("start known to the month only"). */
export function uncertainty(span: TimelineSpan): string[] {
  const notes: string[] = [];
  const sp = precisionOf(span.start);
  if (sp !== "day") notes.push(`start known to the ${sp} only`);
  if (span.end) {
    const ep = precisionOf(span.end);
    if (ep !== "day") notes.push(`end known to the ${ep} only`);
  } else if (!span.ongoing) {
    notes.push("end not recorded");
  }
  return notes;
}
