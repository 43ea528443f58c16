// Dates on clinical screens: DD-Mmm-YYYY (03-Mar-1975), whatever the OS locale (ui-guide §6).
// Partial dates keep their precision (Mar-2021, 2021): a missing day or month is never invented.

const SHORT_MONTHS = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
] as const;

const LONG_MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

type Parsed = { year: string; month?: number; day?: number };

/** Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; anything else (or an impossible date) gives null. */
function parseIsoDate(iso: string): Parsed | null {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(iso.trim());
  if (!m) return null;
  const [, year, mm, dd] = m;
  if (mm === undefined) return { year };
  const month = Number(mm);
  if (month < 1 || month > 12) return null;
  if (dd === undefined) return { year, month };
  const day = Number(dd);
  const daysInMonth = new Date(Date.UTC(Number(year), month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return null;
  return { year, month, day };
}

/**
 * "1975-03-27" → "27-Mar-1975", "2021-03" → "Mar-2021", "2021" → "2021".
 * Text that is not an ISO date is returned unchanged rather than guessed at.
 */
export function formatDate(iso: string): string {
  const p = parseIsoDate(iso);
  if (!p) return iso;
  if (p.month === undefined) return p.year;
  const mon = SHORT_MONTHS[p.month - 1];
  if (p.day === undefined) return `${mon}-${p.year}`;
  return `${String(p.day).padStart(2, "0")}-${mon}-${p.year}`;
}

/** The long form for screen readers: "27 March 1975", "March 2021", "2021". */
export function formatDateLong(iso: string): string {
  const p = parseIsoDate(iso);
  if (!p) return iso;
  if (p.month === undefined) return p.year;
  const month = LONG_MONTHS[p.month - 1];
  if (p.day === undefined) return `${month} ${p.year}`;
  return `${p.day} ${month} ${p.year}`;
}

/** An age in whole years as shown after a date of birth: "(50y)". */
export function formatAge(years: number): string {
  return `(${years}y)`;
}

/** Splits a full ISO date into the three boxes of a date field, as a person would type them. */
export function isoToDateParts(iso: string): { month: string; day: string; year: string } {
  const p = parseIsoDate(iso);
  return {
    month: p?.month === undefined ? "" : String(p.month),
    day: p?.day === undefined ? "" : String(p.day),
    year: p?.year ?? "",
  };
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** A timestamp from the core (RFC 3339, UTC) as a local Date, or null when it is not one. */
function parseTimestamp(iso: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso)) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

export type Precision = "date" | "minute" | "second";

function localTime(d: Date, precision: Precision): string {
  const hm = `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
  return precision === "second" ? `${hm}:${pad2(d.getSeconds())}` : hm;
}

/**
 * A moment in local time on the 24-hour clock: "21-Nov-2026 14:03" (precision "minute"),
 * "21-Nov-2026 14:03:05" ("second") or "21-Nov-2026" ("date").
 * Text that is not a timestamp is returned unchanged.
 */
export function formatDateTime(iso: string, precision: Precision = "minute"): string {
  const d = parseTimestamp(iso);
  if (!d) return iso;
  const date = `${pad2(d.getDate())}-${SHORT_MONTHS[d.getMonth()]}-${d.getFullYear()}`;
  return precision === "date" ? date : `${date} ${localTime(d, precision)}`;
}

/** The long form for screen readers: "21 November 2026 at 14:03". */
export function formatDateTimeLong(iso: string, precision: Precision = "minute"): string {
  const d = parseTimestamp(iso);
  if (!d) return iso;
  const date = `${d.getDate()} ${LONG_MONTHS[d.getMonth()]} ${d.getFullYear()}`;
  return precision === "date" ? date : `${date} at ${localTime(d, precision)}`;
}

/** Today's date as DD-Mmm-YYYY in local time, for printouts. */
export function formatToday(now: Date = new Date()): string {
  return `${pad2(now.getDate())}-${SHORT_MONTHS[now.getMonth()]}-${now.getFullYear()}`;
}

/** A local time stamp for file names: "2026-11-21-140305". */
export function fileStamp(now: Date = new Date()): string {
  return (
    `${now.getFullYear()}-${pad2(now.getMonth() + 1)}-${pad2(now.getDate())}-` +
    `${pad2(now.getHours())}${pad2(now.getMinutes())}${pad2(now.getSeconds())}`
  );
}
