// Small conversions shared by the chart forms: every box is kept as typed, and only turned into
// the wire shape on save. Partial dates are never padded (ui-guide §6).
import { formatDate } from "../../lib/format/date";

/** Hint for dates from outside records, where a year or a month is often all that is known. */
export const PARTIAL_DATE_HINT = "A year (2021), a month (2021-05) or a full date (2021-05-17)";

/** Hint for exact dates. */
export const FULL_DATE_HINT = "For example, 2026-03-17 or 3/17/2026";

/** Null for an empty box; otherwise the text as typed (the core trims and checks it). */
export function orNull(text: string): string | null {
  return text.trim() === "" ? null : text;
}

/** Text for a box from a value that may be missing. */
export function text(value: string | null | undefined): string {
  return value ?? "";
}

/**
 * An exact date as the core reads it (`YYYY-MM-DD`). US-order dates ("3/17/2026") and dates
 * without leading zeros ("2026-3-7") are accepted and rewritten; anything else goes to the core
 * as typed so that it can say what is wrong. Never invents a missing part.
 */
export function fullDate(typed: string): string {
  const t = typed.trim();
  const us = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(t);
  if (us) return `${us[3]}-${pad2(us[1] as string)}-${pad2(us[2] as string)}`;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (iso) return `${iso[1]}-${pad2(iso[2] as string)}-${pad2(iso[3] as string)}`;
  return t;
}

/** An optional exact date: null when the box is empty. */
export function optionalFullDate(typed: string): string | null {
  return typed.trim() === "" ? null : fullDate(typed);
}

function pad2(n: string): string {
  return n.padStart(2, "0");
}

/** Today's date in local time as `YYYY-MM-DD`. */
export function todayIso(now: Date = new Date()): string {
  const m = String(now.getMonth() + 1).padStart(2, "0");
  const d = String(now.getDate()).padStart(2, "0");
  return `${now.getFullYear()}-${m}-${d}`;
}

/** Lines of a multi-line box, blanks dropped. */
export function lines(value: string | null | undefined): string[] {
  return (value ?? "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

/** A date as the chart shows it (DD-Mmm-YYYY, Mar-2021 or 2021); null stays null. */
export function shown(iso: string | null | undefined): string | null {
  return iso ? formatDate(iso) : null;
}

/** "Sep-2024 to Mar-2025", "Sep-2024 to now" or "Sep-2024, end not recorded". */
export function span(
  start: string | null | undefined,
  end: string | null | undefined,
  ongoing: boolean,
): string {
  const from = start ? formatDate(start) : "Start not recorded";
  if (ongoing) return `${from} to now`;
  if (end) return `${from} to ${formatDate(end)}`;
  return `${from}, end not recorded`;
}

/** The start of a long text, cut at a word and ending "…"; null when there is no text. */
export function excerpt(value: string | null | undefined, max = 160): string | null {
  const t = (value ?? "").replace(/\s+/g, " ").trim();
  if (t === "") return null;
  if (t.length <= max) return t;
  const cut = t.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
