// Prior authorization helpers shared by the chart section, the comparison and the rule-set
// screens: service names, status and verdict words with their symbols (never colour alone),
// one entry per rule-set id, and the date of service as the core reads it.
import type {
  CriterionStatus,
  CriterionView,
  DateFields,
  EvaluationView,
  RuleSetView,
  ServiceName,
  VerdictName,
} from "../../lib/bindings";
import { formatDate } from "../../lib/format/date";

/** The four services, in the order the forms offer them (words as the core names them). */
export const SERVICES: readonly { value: ServiceName; label: string }[] = [
  { value: "spravato_trd", label: "Spravato (esketamine) for treatment-resistant depression" },
  { value: "spravato_mdsi", label: "Spravato (esketamine) for MDD with acute suicidal ideation" },
  { value: "tms", label: "Transcranial magnetic stimulation (TMS)" },
  { value: "iv_ketamine", label: "IV ketamine infusion" },
];

export function serviceLabel(service: ServiceName): string {
  return SERVICES.find((s) => s.value === service)?.label ?? service;
}

export type Look = { word: string; icon: string; tone: string };

/** Each criterion status as a word and a symbol; the tone only adds colour. */
export const STATUS: Record<CriterionStatus, Look> = {
  met: { word: "Met", icon: "✓", tone: "met" },
  not_met: { word: "Not met", icon: "✗", tone: "not-met" },
  insufficient: { word: "Insufficient documentation", icon: "!", tone: "insufficient" },
  not_applicable: { word: "Not applicable", icon: "–", tone: "not-applicable" },
};

export const VERDICT: Record<VerdictName, Look> = {
  ready: { word: "Ready to submit", icon: "✓", tone: "ready" },
  gaps_to_fix: { word: "Gaps to fix", icon: "!", tone: "gaps" },
  not_eligible: { word: "Not eligible under this policy", icon: "✗", tone: "not-eligible" },
  not_covered: { word: "Service not covered: self-pay", icon: "⊘", tone: "not-covered" },
};

/** A criterion with a gap the clinic can work on. */
export function isGap(c: CriterionView): boolean {
  return c.status === "not_met" || c.status === "insufficient";
}

/** "3 met, 1 not met, 2 insufficient documentation, 1 not applicable". */
export function countsText(e: EvaluationView): string {
  const na = e.criteria.filter((c) => c.status === "not_applicable").length;
  const parts = [
    `${e.met} met`,
    `${e.notMet} not met`,
    `${e.insufficient} insufficient documentation`,
  ];
  if (na > 0) parts.push(`${na} not applicable`);
  return `${e.criteria.length} ${e.criteria.length === 1 ? "criterion" : "criteria"}: ${parts.join(", ")}`;
}

/** One rule set (by id) with the version shown for it and every version held. */
export type RuleSetChoice = {
  id: string;
  /** The version in effect on the date, else the newest. */
  shown: RuleSetView;
  versions: RuleSetView[];
};

function inEffect(r: RuleSetView, on: string): boolean {
  return r.effectiveFrom <= on && (r.effectiveTo === null || on <= r.effectiveTo);
}

/** The rule sets once per id, in the core's order (payer, service, id). */
export function choices(sets: readonly RuleSetView[], on: string | null = null): RuleSetChoice[] {
  const byId = new Map<string, RuleSetView[]>();
  for (const r of sets) {
    const list = byId.get(r.id);
    if (list) list.push(r);
    else byId.set(r.id, [r]);
  }
  return [...byId.entries()].map(([id, versions]) => {
    const newestFirst = [...versions].sort((a, b) =>
      b.effectiveFrom.localeCompare(a.effectiveFrom),
    );
    const current = on ? newestFirst.find((r) => inEffect(r, on)) : undefined;
    return { id, shown: current ?? (newestFirst[0] as RuleSetView), versions };
  });
}

/** "Cigna — Spravato policy (version 2025-01)", with "requires review" when unverified. */
export function ruleSetLabel(r: RuleSetView): string {
  const extras = [`version ${r.version}`];
  if (!r.verified) extras.push("requires review");
  if (!r.covered) extras.push("not covered");
  return `${r.payer} — ${r.policy} (${extras.join(", ")})`;
}

/** "Cigna — Spravato policy". */
export function policyName(r: { payer: string; policy: string }): string {
  return `${r.payer} — ${r.policy}`;
}

/** "From 01-Jan-2024" or "01-Jan-2024 to 31-Dec-2025". */
export function effectiveText(r: RuleSetView): string {
  const from = formatDate(r.effectiveFrom);
  return r.effectiveTo ? `${from} to ${formatDate(r.effectiveTo)}` : `From ${from}`;
}

/** Safe as part of an element id. */
export function idPart(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, "_");
}

export type DateCheck =
  { ok: true; iso: string } | { ok: false; message: string; part: keyof DateFields };

/** The three boxes of the date of service as `YYYY-MM-DD`, or what is wrong (ui-guide §15). */
export function dateOfService(d: DateFields, name = "Date of service"): DateCheck {
  const month = d.month.trim();
  const day = d.day.trim();
  const year = d.year.trim();
  if (month === "" && day === "" && year === "") {
    return { ok: false, message: `Enter the ${name.toLowerCase()}`, part: "month" };
  }
  if (month === "") return { ok: false, message: `${name} must include a month`, part: "month" };
  if (day === "") return { ok: false, message: `${name} must include a day`, part: "day" };
  if (year === "") return { ok: false, message: `${name} must include a year`, part: "year" };
  const m = monthNumber(month);
  const dd = /^\d{1,2}$/.test(day) ? Number(day) : NaN;
  const yy = /^\d{4}$/.test(year) ? Number(year) : NaN;
  const real =
    m !== null &&
    !Number.isNaN(dd) &&
    !Number.isNaN(yy) &&
    dd >= 1 &&
    dd <= new Date(Date.UTC(yy, m, 0)).getUTCDate();
  if (!real) {
    const part = m === null ? "month" : Number.isNaN(yy) ? "year" : "day";
    return { ok: false, message: `${name} must be a real date`, part };
  }
  return {
    ok: true,
    iso: `${year}-${String(m).padStart(2, "0")}-${String(dd).padStart(2, "0")}`,
  };
}

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/** "3", "03", "mar" or "March" → 3; anything else → null. */
function monthNumber(text: string): number | null {
  if (/^\d{1,2}$/.test(text)) {
    const n = Number(text);
    return n >= 1 && n <= 12 ? n : null;
  }
  const t = text.toLowerCase();
  if (t.length < 3) return null;
  const i = MONTHS.findIndex((m) => m.startsWith(t));
  return i >= 0 ? i + 1 : null;
}

/** Row keys for criteria: the id, except for items the rule set does not give (one per label). */
export function criterionKey(c: CriterionView): string {
  return c.id === "not_in_rule_set" ? `${c.id}:${c.label}` : c.id;
}
