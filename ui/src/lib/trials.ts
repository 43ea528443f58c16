// Medication-trial history: the words and numbers the chart shows for a TrialRow, and what the
// trial form edits (every box a string, as typed) and how it becomes a TrialForm.
import type { DaysRange, DrugOption, TrialForm, TrialRow } from "./bindings";

export const ROLE_OPTIONS = [
  { value: "monotherapy", label: "Monotherapy" },
  { value: "augmentation", label: "Augmentation" },
  { value: "combination", label: "Combination" },
] as const;

export const OUTCOME_OPTIONS = [
  { value: "no_response", label: "No response" },
  { value: "partial_response", label: "Partial response" },
  { value: "intolerance", label: "Intolerance" },
  { value: "response", label: "Response" },
  { value: "remission", label: "Remission" },
] as const;

export const ADHERENCE_SOURCE_OPTIONS = [
  { value: "patient_report", label: "Patient report" },
  { value: "pharmacy_fills", label: "Pharmacy fills" },
  { value: "outside_records", label: "Outside records" },
] as const;

export const ADHERENT_OPTIONS = [
  { value: "yes", label: "Yes" },
  { value: "no", label: "No" },
] as const;

function labelOf(options: readonly { value: string; label: string }[], value: string): string {
  return options.find((o) => o.value === value)?.label ?? value;
}

export function roleLabel(role: string): string {
  return labelOf(ROLE_OPTIONS, role);
}

export function outcomeLabel(outcome: string): string {
  return labelOf(OUTCOME_OPTIONS, outcome);
}

export function adherenceSourceLabel(source: string): string {
  return labelOf(ADHERENCE_SOURCE_OPTIONS, source);
}

/** Units as ISMP writes them: "mL" not "cc", "mcg" not "µg". */
function normaliseUnit(unit: string): string {
  const u = unit.trim();
  if (/^(cc|ml)$/i.test(u)) return "mL";
  if (/^(µg|μg|ug|mcg)$/i.test(u)) return "mcg";
  return u;
}

/**
 * A dose as ISMP wants it on screen (ui-guide §7): a leading zero (0.5 mg), no trailing zero
 * (1 mg), commas from 1,000 and a space before the unit.
 */
export function formatDose(amount: number, unit: string | null | undefined): string {
  const number = amount.toLocaleString("en-US", {
    minimumIntegerDigits: 1,
    maximumFractionDigits: 3,
    useGrouping: true,
  });
  const u = unit ? normaliseUnit(unit) : "";
  return u ? `${number} ${u}` : number;
}

/** Weeks at or above the therapeutic dose; null when the dose or the dates do not allow it. */
export function therapeuticWeeks(range: DaysRange | null): string | null {
  if (!range) return null;
  if (range.minDays !== range.maxDays) {
    return `at least ${range.certainWeeks} wk (up to ${range.maxWeeks})`;
  }
  return `${range.certainWeeks} wk`;
}

export function trialDates(t: TrialRow): string {
  if (t.ongoing) return `${t.startDisplay} – ongoing`;
  if (t.stopDisplay) return `${t.startDisplay} – ${t.stopDisplay}`;
  return `${t.startDisplay} – stop date not recorded`;
}

export function adherenceText(t: TrialRow): string | null {
  if (t.adherencePercent !== null) return `${t.adherencePercent}%`;
  if (t.adherent === true) return "Adherent";
  if (t.adherent === false) return "Not adherent";
  return null;
}

export function outcomeText(t: TrialRow): string | null {
  if (!t.outcome) return null;
  const words = outcomeLabel(t.outcome);
  if (t.outcome === "intolerance" && t.adverseEffect) return `${words}: ${t.adverseEffect}`;
  return words;
}

function formatScore(n: number): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: 2 });
}

/**
 * Rating-scale scores before and after the trial with the change in the score itself:
 * "21 → 19.5 (−7%)". `scoreChangePercent` is the improvement (positive = lower score), so the
 * sign is turned round. Null when neither score was recorded.
 */
export function scoreText(t: TrialRow): string | null {
  if (t.preScore === null && t.postScore === null) return null;
  const pre = t.preScore === null ? "not recorded" : formatScore(t.preScore);
  const post = t.postScore === null ? "not recorded" : formatScore(t.postScore);
  let change = "";
  if (t.scoreChangePercent !== null && t.preScore !== null && t.postScore !== null) {
    const delta = Math.round(-t.scoreChangePercent);
    const sign = delta < 0 ? "\u2212" : delta > 0 ? "+" : "";
    change = ` (${sign}${Math.abs(delta)}%)`;
  }
  return `${pre} → ${post}${change}`;
}

/** A reference drug in words for the picker: class and minimum therapeutic dose. */
export function drugSummary(d: DrugOption): string {
  const minimum =
    d.minTherapeutic !== null
      ? `minimum therapeutic dose ${formatDose(d.minTherapeutic, d.unit)}${/\/(day|24 h)$/.test(d.unit) ? "" : " a day"}`
      : "no minimum therapeutic dose in the reference";
  return `${d.classLabel} · ${minimum}`;
}

/** The reference drug that this text names (its id, name or a brand), if any. */
export function matchDrug(text: string, options: readonly DrugOption[]): DrugOption | undefined {
  const t = text.trim().toLowerCase();
  if (!t) return undefined;
  return options.find(
    (d) =>
      d.id.toLowerCase() === t ||
      d.name.toLowerCase() === t ||
      d.aliases.some((a) => a.toLowerCase() === t),
  );
}

export type DoseValues = { from: string; daily: string };

export type TrialFormValues = {
  drug: string;
  role: string | null;
  startDate: string;
  stopDate: string;
  ongoing: boolean;
  doses: DoseValues[];
  adherencePercent: string;
  adherent: "yes" | "no" | null;
  adherenceSource: string;
  outcome: string;
  adverseEffect: string;
  reasonStopped: string;
  currentEpisode: boolean;
  sourceNote: string;
  scoreInstrument: string;
  preScore: string;
  postScore: string;
};

export function emptyTrialValues(): TrialFormValues {
  return {
    drug: "",
    role: null,
    startDate: "",
    stopDate: "",
    ongoing: false,
    doses: [{ from: "", daily: "" }],
    adherencePercent: "",
    adherent: null,
    adherenceSource: "",
    outcome: "",
    adverseEffect: "",
    reasonStopped: "",
    currentEpisode: false,
    sourceNote: "",
    scoreInstrument: "",
    preScore: "",
    postScore: "",
  };
}

/** The stored values (partial dates as stored, never the display forms) for editing. */
export function valuesFromTrial(t: TrialRow): TrialFormValues {
  const s = (v: string | null) => v ?? "";
  return {
    drug: t.drugName,
    role: t.role,
    startDate: t.startDate,
    stopDate: s(t.stopDate),
    ongoing: t.ongoing,
    doses:
      t.doses.length > 0
        ? t.doses.map((d) => ({ from: d.from, daily: d.daily === null ? "" : String(d.daily) }))
        : [{ from: "", daily: "" }],
    adherencePercent: t.adherencePercent === null ? "" : String(t.adherencePercent),
    adherent: t.adherent === null ? null : t.adherent ? "yes" : "no",
    adherenceSource: s(t.adherenceSource),
    outcome: s(t.outcome),
    adverseEffect: s(t.adverseEffect),
    reasonStopped: s(t.reasonStopped),
    currentEpisode: t.currentEpisode,
    sourceNote: s(t.sourceNote),
    scoreInstrument: s(t.scoreInstrument),
    preScore: t.preScore === null ? "" : String(t.preScore),
    postScore: t.postScore === null ? "" : String(t.postScore),
  };
}

/** The first dose step starts with the trial unless the user typed another date. */
export function withDefaultDoseStart(v: TrialFormValues): TrialFormValues {
  const [first, ...rest] = v.doses;
  if (!first || first.from.trim() !== "" || v.startDate.trim() === "") return v;
  return { ...v, doses: [{ ...first, from: v.startDate.trim() }, ...rest] };
}

export function toTrialForm(v: TrialFormValues): TrialForm {
  return {
    drug: v.drug,
    role: v.role ?? "",
    startDate: v.startDate,
    stopDate: v.stopDate,
    ongoing: v.ongoing,
    doses: v.doses.map((d) => ({ from: d.from, daily: d.daily })),
    adherencePercent: v.adherencePercent,
    adherent: v.adherent === null ? null : v.adherent === "yes",
    adherenceSource: v.adherenceSource,
    outcome: v.outcome,
    adverseEffect: v.adverseEffect,
    reasonStopped: v.reasonStopped,
    currentEpisode: v.currentEpisode,
    sourceNote: v.sourceNote,
    scoreInstrument: v.scoreInstrument,
    preScore: v.preScore,
    postScore: v.postScore,
  };
}
