// Words, symbols and small conversions for the authorization request tracker. The core decides
// every status change, unit count and warning; this only says them and turns boxes as typed into
// the wire shape.
import type {
  AttestationKindName,
  CodeLineForm,
  DateFields,
  PaRequestView,
  RequestStatusName,
  ServiceName,
  SubmissionMethodName,
  UnitsLineView,
  WarningView,
} from "../../../lib/bindings";
import { formatDate } from "../../../lib/format/date";
import { dateOfService } from "../pa";

export type StatusLook = { icon: string; tone: "neutral" | "info" | "waiting" | "ok" | "problem" };

/** Each request status with a symbol and a tone; the core's `statusLabel` gives the word. */
export const REQUEST_STATUS: Record<RequestStatusName, StatusLook> = {
  draft: { icon: "✎", tone: "neutral" },
  ready: { icon: "➜", tone: "info" },
  submitted: { icon: "⧗", tone: "waiting" },
  pending: { icon: "⧗", tone: "waiting" },
  approved: { icon: "✓", tone: "ok" },
  partially_approved: { icon: "◐", tone: "ok" },
  denied: { icon: "✗", tone: "problem" },
  appealed: { icon: "⧗", tone: "waiting" },
};

/** The statuses in workflow order, with the core's words (for filters and counts). */
export const STATUS_ORDER: readonly { value: RequestStatusName; label: string }[] = [
  { value: "draft", label: "Draft" },
  { value: "ready", label: "Ready to submit" },
  { value: "submitted", label: "Submitted" },
  { value: "pending", label: "Pending with the payer" },
  { value: "appealed", label: "Appealed" },
  { value: "approved", label: "Approved" },
  { value: "partially_approved", label: "Partially approved" },
  { value: "denied", label: "Denied" },
];

export const METHODS: readonly { value: SubmissionMethodName; label: string }[] = [
  { value: "fax", label: "Fax" },
  { value: "portal", label: "Payer portal" },
  { value: "phone", label: "Phone" },
  { value: "mail", label: "Mail" },
  { value: "electronic", label: "Electronic (ePA)" },
];

export function methodLabel(m: SubmissionMethodName | null): string | null {
  return m === null ? null : (METHODS.find((x) => x.value === m)?.label ?? m);
}

/**
 * The two statements a provider may attest, word for word as the core prints them on the
 * packet (core `pa/attestation.rs`).
 */
export const ATTESTATIONS: readonly {
  kind: AttestationKindName;
  title: string;
  statement: string;
}[] = [
  {
    kind: "psychosis_benefit_outweighs_risk",
    title: "History of psychosis",
    statement:
      "I have assessed the patient's history of psychosis and judge that the expected benefit of this treatment outweighs the risk.",
  },
  {
    kind: "substance_use_in_remission",
    title: "Substance use in remission",
    statement:
      "The patient's substance use disorder is in remission, with the period of abstinence documented in the chart.",
  },
];

/** The codes payers usually expect for a service, as a hint (core `pa/packet.rs`). */
export const USUAL_CODES: Record<ServiceName, string> = {
  spravato_trd:
    "Usually J0013 with the NDC (commercial plans) or G2082 per session (Medicare and Medicare Advantage)",
  spravato_mdsi:
    "Usually J0013 with the NDC (commercial plans) or G2083 per session (Medicare and Medicare Advantage)",
  tms: "Usually 90867 once, then 90868 for each later session",
  iv_ketamine: "Usually 96365 and J3490, one unit of each per infusion",
};

/** Statuses in which the payer owes a decision. */
export function awaitsDecision(s: RequestStatusName): boolean {
  return s === "submitted" || s === "pending" || s === "appealed";
}

/** Statuses in which the request may still be changed. */
export function isOpen(s: RequestStatusName): boolean {
  return s === "draft" || s === "ready";
}

export function isApproved(s: RequestStatusName): boolean {
  return s === "approved" || s === "partially_approved";
}

/** "01-Mar-2026 to 31-May-2026", or null when the payer gave no window. */
export function windowText(start: string | null, end: string | null): string | null {
  if (start && end) return `${formatDate(start)} to ${formatDate(end)}`;
  if (start) return `From ${formatDate(start)}`;
  if (end) return `Until ${formatDate(end)}`;
  return null;
}

/** "G2082: 3 used of 8 approved, 5 left". */
export function unitsText(u: UnitsLineView): string {
  return `${u.code}: ${u.used} used of ${u.approved} approved, ${u.remaining} left`;
}

/** "J0013 × 224 (NDC 50458-0028-02)". */
export function lineText(l: CodeLineForm): string {
  return `${l.code} × ${l.units}${l.ndc ? ` (NDC ${l.ndc})` : ""}`;
}

export function warningKey(w: WarningView, i: number): string {
  return `${w.kind}:${w.code ?? ""}:${i}`;
}

/** "Initial request" or "Re-authorization". */
export function kindText(r: Pick<PaRequestView, "kind">): string {
  return r.kind === "reauthorization" ? "Re-authorization" : "Initial request";
}

/** A short name for a request in hidden button context: "Cigna initial request of 02-Mar-2026". */
export function requestName(r: PaRequestView): string {
  const when = r.createdAt.slice(0, 10);
  return `${r.payerName} ${kindText(r).toLowerCase()} of ${formatDate(when)}`;
}

// ---------- the code-line rows as typed ----------

export type LineRow = { key: number; code: string; units: string; ndc: string };

let nextKey = 1;

export function newRow(line?: CodeLineForm): LineRow {
  nextKey += 1;
  return {
    key: nextKey,
    code: line?.code ?? "",
    units: line ? String(line.units) : "",
    ndc: line?.ndc ?? "",
  };
}

export type LinesCheck = {
  lines: CodeLineForm[];
  /** For each line sent, the index of the row it came from. */
  rowOf: number[];
  /** Problems found before sending, keyed `N.units` by row index. */
  problems: { row: number; part: "units"; message: string }[];
};

/**
 * The rows as code lines: blank rows are dropped; units must be a whole number (the core checks
 * the range and the code and NDC shapes).
 */
export function linesFromRows(rows: readonly LineRow[]): LinesCheck {
  const out: LinesCheck = { lines: [], rowOf: [], problems: [] };
  rows.forEach((r, i) => {
    const code = r.code.trim();
    const units = r.units.replace(/[\s,]/g, "").replace(/units?$/i, "");
    const ndc = r.ndc.trim();
    if (code === "" && units === "" && ndc === "") return;
    let n = 0;
    if (units !== "") {
      if (!/^\d+$/.test(units)) {
        out.problems.push({
          row: i,
          part: "units",
          message: "Units must be a whole number, like 8",
        });
        return;
      }
      n = Number(units);
    }
    out.lines.push({ code, units: n, ndc: ndc === "" ? null : ndc });
    out.rowOf.push(i);
  });
  return out;
}

/**
 * Maps the core's line field ("requestedLines.2.units") to the row the user typed it in:
 * `{ row, part }`, or null when the field is about the list as a whole.
 */
export function lineField(
  field: string,
  prefix: string,
  rowOf: readonly number[],
): { row: number; part: "code" | "units" | "ndc" } | null {
  const m = new RegExp(`^${prefix}\\.(\\d+)\\.(code|units|ndc)$`).exec(field);
  if (!m) return null;
  const sent = Number(m[1]);
  return { row: rowOf[sent] ?? sent, part: m[2] as "code" | "units" | "ndc" };
}

// ---------- ICD-10 codes typed as a list ----------

/** "F33.2, f41.1  F43.10" → ["F33.2", "F41.1", "F43.10"]. */
export function codesFromText(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((c) => c.trim().toUpperCase())
    .filter((c) => c !== "");
}

// ---------- dates and date-times as typed ----------

export type DateTimeFields = DateFields & { time: string };

function two(n: number): string {
  return String(n).padStart(2, "0");
}

/** Now, to the minute, split into the boxes a person would type. */
export function nowFields(now: Date = new Date()): DateTimeFields {
  return {
    month: String(now.getMonth() + 1),
    day: String(now.getDate()),
    year: String(now.getFullYear()),
    time: `${two(now.getHours())}:${two(now.getMinutes())}`,
  };
}

export const EMPTY_DATE: DateFields = { month: "", day: "", year: "" };

export type Checked<T> =
  { ok: true; value: T } | { ok: false; message: string; part: "month" | "day" | "year" | "time" };

/** An optional date: null when all three boxes are empty. */
export function optionalDate(d: DateFields, name: string): Checked<string | null> {
  if (d.month.trim() === "" && d.day.trim() === "" && d.year.trim() === "") {
    return { ok: true, value: null };
  }
  const c = dateOfService(d, name);
  return c.ok ? { ok: true, value: c.iso } : c;
}

/** A required date: empty boxes go to the core as "" so that it names what is missing. */
export function requiredDate(d: DateFields, name: string): Checked<string> {
  const c = optionalDate(d, name);
  if (!c.ok) return c;
  return { ok: true, value: c.value ?? "" };
}

/** A local date-time as the core reads it (`YYYY-MM-DDTHH:MM`), or what is wrong (ui-guide §15). */
export function localDateTime(v: DateTimeFields, name: string): Checked<string> {
  const d = dateOfService(v, name);
  if (!d.ok) return d;
  const t = v.time.trim().replace(".", ":");
  if (t === "") return { ok: false, message: `${name} must include a time`, part: "time" };
  const m = /^(\d{1,2}):(\d{2})$/.exec(t);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) {
    return {
      ok: false,
      message: `${name} must be a time on the 24-hour clock, like 14:05`,
      part: "time",
    };
  }
  return { ok: true, value: `${d.iso}T${two(Number(m[1]))}:${m[2]}` };
}

/** Splits a stored `YYYY-MM-DD` into boxes; empty boxes for null. */
export function dateParts(iso: string | null): DateFields {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  if (!m) return { ...EMPTY_DATE };
  return { month: String(Number(m[2])), day: String(Number(m[3])), year: m[1] as string };
}
