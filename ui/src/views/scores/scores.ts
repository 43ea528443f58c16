// Rating-scale helpers: reading the date and time boxes, which questions a form asks (C-SSRS
// branching), the running total shown while answering, the words a score is summed up in, and
// the numbers a trend chart is drawn from. The core scores every administration; nothing here
// decides a saved total, band or flag.
import type {
  BandView,
  InstrumentItemView,
  InstrumentView,
  ScoreView,
  TrendView,
} from "../../lib/bindings";
import { formatDateTime } from "../../lib/format/date";

const MONTH_NAMES = [
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

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

function realDate(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1) return null;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > days) return null;
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

const LONG_MONTHS = [
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
] as const;

/** "Mar", "mar", "March" or "Sept"-style prefixes of the full name: 3. */
function monthNumber(word: string): number | null {
  const w = word.toLowerCase();
  if (w.length < 3) return null;
  const at = LONG_MONTHS.findIndex((m) => m.startsWith(w));
  return at < 0 ? null : at + 1;
}

/**
 * A typed date as `YYYY-MM-DD`, or null when it cannot be read. Accepts the chart's own format
 * (17-Mar-2026, 17 March 2026), ISO (2026-03-17) and US order (3/17/2026).
 */
export function readDate(typed: string): string | null {
  const t = typed.trim();
  const dmy = /^(\d{1,2})[\s-]+([A-Za-z]+)\.?[\s-]+(\d{4})$/.exec(t);
  if (dmy) {
    const month = monthNumber(dmy[2] as string);
    return month === null ? null : realDate(Number(dmy[3]), month, Number(dmy[1]));
  }
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (iso) return realDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const us = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(t);
  if (us) return realDate(Number(us[3]), Number(us[1]), Number(us[2]));
  return null;
}

/** A typed time on the 24-hour clock as `HH:MM` (14:05, 9:30, 1405), or null. */
export function readTime(typed: string): string | null {
  const t = typed.trim();
  const m = /^(\d{1,2})[:.]?(\d{2})$/.exec(t);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return null;
  return `${pad2(h)}:${pad2(min)}`;
}

/** The date and time boxes as the core reads them (`YYYY-MM-DDTHH:MM`), or null. */
export function combineDateTime(date: string, time: string): string | null {
  const d = readDate(date);
  const t = readTime(time);
  return d && t ? `${d}T${t}` : null;
}

/** What the date and time boxes start with: now, in the chart's format (17-Mar-2026, 14:05). */
export function nowBoxes(now: Date = new Date()): { date: string; time: string } {
  return {
    date: `${pad2(now.getDate())}-${MONTH_NAMES[now.getMonth()]}-${now.getFullYear()}`,
    time: `${pad2(now.getHours())}:${pad2(now.getMinutes())}`,
  };
}

/** A whole number as typed ("24", " 24 "), or null when the box holds anything else. */
export function readWholeNumber(typed: string): number | null {
  const t = typed.trim();
  if (!/^\d{1,4}$/.test(t)) return null;
  return Number(t);
}

// ---------- questions ----------

export type Answers = Record<string, number>;

/**
 * Whether a question is asked, given the answers so far: a C-SSRS question asked only when an
 * earlier one has a given answer is hidden until it has (and so is anything that hangs off it).
 */
export function isAsked(
  item: InstrumentItemView,
  items: readonly InstrumentItemView[],
  answers: Answers,
  seen: Set<string> = new Set(),
): boolean {
  if (item.askedIfItem === null) return true;
  if (seen.has(item.id)) return false;
  seen.add(item.id);
  if (answers[item.askedIfItem] !== item.askedIfEquals) return false;
  const parent = items.find((i) => i.id === item.askedIfItem);
  return parent ? isAsked(parent, items, answers, seen) : true;
}

/** The questions the form shows, in the instrument's order. */
export function askedItems(instrument: InstrumentView, answers: Answers): InstrumentItemView[] {
  return instrument.items.filter((i) => isAsked(i, instrument.items, answers));
}

/** The answers to questions still asked: those to questions now hidden are dropped. */
export function keptAnswers(instrument: InstrumentView, answers: Answers): Answers {
  const asked = new Set(askedItems(instrument, answers).map((i) => i.id));
  return Object.fromEntries(Object.entries(answers).filter(([id]) => asked.has(id)));
}

/**
 * The sum of the scored answers so far, for instruments whose total is a plain sum of their
 * scored questions (PHQ-9, GAD-7); null for the others (the QIDS-SR16 takes the highest answer
 * in some domains, the C-SSRS has no total), where only the core's scoring is right.
 */
export function runningTotal(instrument: InstrumentView, answers: Answers): number | null {
  if (instrument.entry !== "items" || instrument.totalMax === null) return null;
  const scored = instrument.items.filter((i) => i.scored);
  if (scored.length === 0) return null;
  const most = scored.reduce((sum, i) => sum + Math.max(0, ...i.options.map((o) => o.value)), 0);
  const least = scored.reduce((sum, i) => sum + Math.min(0, ...i.options.map((o) => o.value)), 0);
  if (most !== instrument.totalMax || least !== (instrument.totalMin ?? 0)) return null;
  return scored.reduce((sum, i) => sum + (answers[i.id] ?? 0), 0);
}

// ---------- instruments ----------

export type InstrumentGroup = { label: string; instruments: InstrumentView[] };

const RATER_GROUPS: { rater: string; label: string }[] = [
  { rater: "self", label: "Self-report" },
  { rater: "clinician", label: "Clinician-rated" },
  { rater: "clinician_or_self", label: "Clinician-rated or self-report" },
];

/** The instruments grouped by who rates them, in the reference's order within each group. */
export function groupInstruments(list: readonly InstrumentView[]): InstrumentGroup[] {
  const known = new Set(RATER_GROUPS.map((g) => g.rater));
  const groups = RATER_GROUPS.map((g) => ({
    label: g.label,
    instruments: list.filter((i) => i.rater === g.rater),
  }));
  groups.push({ label: "Other", instruments: list.filter((i) => !known.has(i.rater)) });
  return groups.filter((g) => g.instruments.length > 0);
}

export function instrumentLabel(i: InstrumentView): string {
  return i.shortName === i.name ? i.name : `${i.shortName} (${i.name})`;
}

// ---------- words ----------

export const TIMEPOINT_OPTIONS = [
  { value: "pre_dose", label: "Before the dose" },
  { value: "peak", label: "At the peak, about 40 minutes after the dose" },
] as const;

export function timepointLabel(timepoint: string | null): string | null {
  if (timepoint === "pre_dose") return "Before the dose";
  if (timepoint === "peak") return "At the peak";
  return timepoint;
}

/** "Patient self-report", the rater's name, or "Clinician" when no name was given. */
export function whoAnswered(score: ScoreView): string {
  if (score.mode === "self_report") return "Patient self-report";
  return score.rater?.trim() ? score.rater.trim() : "Clinician";
}

/**
 * Whether saving this score raised a safety alert: a safety flag (PHQ-9 question 9 above 0) or
 * a C-SSRS triage of moderate or high risk (the reference raises an alert from moderate).
 */
export function raisedAlert(score: ScoreView): boolean {
  return score.flags.length > 0 || /^(moderate|high)\b/i.test(score.triage ?? "");
}

/**
 * A change from baseline as the trend table shows it: a reduction of 50 % is "−50 %", a rise of
 * 10 % is "+10 %" (the sign is that of the change in the total). Null: not computable.
 */
export function formatChange(reductionPercent: number | null): string | null {
  if (reductionPercent === null || !Number.isFinite(reductionPercent)) return null;
  const change = -reductionPercent;
  // Cut, never rounded, to one decimal: 49.96 % is not shown as the 50 % a response needs.
  const rounded = Math.trunc(Math.abs(change) * 10 + 1e-9) / 10;
  if (rounded === 0) return "0 %";
  const digits = Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
  return `${change < 0 ? "\u2212" : "+"}${digits} %`;
}

/** "20 on 02-Mar-2026 09:30", for the chart's text alternative. */
export function pointText(p: ScoreView): string {
  return `${p.total ?? "no total"} on ${formatDateTime(p.administeredAt)}`;
}

/** The trend's first, prior (when there are three or more scores) and latest points. */
export function trendPoints(trend: TrendView): {
  baseline: ScoreView | null;
  prior: ScoreView | null;
  latest: ScoreView | null;
} {
  const points = trend.points;
  return {
    baseline: points[0] ?? null,
    prior: trend.priorId === null ? null : (points.find((p) => p.id === trend.priorId) ?? null),
    latest: points.length > 1 ? (points[points.length - 1] ?? null) : null,
  };
}

/** The chart's accessible name: what it shows, from the baseline to the latest score. */
export function chartSummary(trend: TrendView): string {
  const { baseline, latest } = trendPoints(trend);
  if (!baseline) return `${trend.instrumentName} totals: none recorded`;
  const from = `baseline ${pointText(baseline)}`;
  const to = latest ? ` to latest ${pointText(latest)}` : ", the only score so far";
  return `${trend.instrumentName} totals over time: ${from}${to}. The table below gives the details.`;
}

// ---------- chart data ----------

/** A moment as a time value on the chart's x axis (local wall-clock time, stored as UTC). */
export function timeValue(at: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(at.trim());
  if (!m) return null;
  return Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4] ?? "0"),
    Number(m[5] ?? "0"),
  );
}

/** A chart x value back as the chart's date: "02-Mar-2026". */
export function axisDate(value: number): string {
  const d = new Date(value);
  return `${pad2(d.getUTCDate())}-${MONTH_NAMES[d.getUTCMonth()]}-${d.getUTCFullYear()}`;
}

/** A chart x value back as the chart's date and time: "02-Mar-2026 09:30". */
export function axisDateTime(value: number): string {
  const d = new Date(value);
  return `${axisDate(value)} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

export type ChartPoint = { x: number; y: number; id: number };
export type ChartSeries = { label: string; points: ChartPoint[] };
/** A severity band drawn behind the line, from `from` to `to` on the y axis. */
export type BandRect = { label: string; from: number; to: number; shade: number };

export type TrendChartData = {
  title: string;
  series: ChartSeries[];
  bands: BandRect[];
  yMin: number;
  yMax: number;
  xMin: number;
  xMax: number;
  /** Treatment sessions, drawn as vertical markers. */
  markers: number[];
};

/**
 * The bands as rectangles on the y axis. Totals are whole numbers, so each band reaches halfway
 * to its neighbour (Mild 5–9 covers 4.5 to 9.5), clipped to the instrument's range; `shade`
 * counts up with severity (the bands come mildest first).
 */
export function bandRects(
  bands: readonly BandView[],
  totalMin: number | null,
  totalMax: number | null,
): BandRect[] {
  const lo = totalMin ?? Math.min(...bands.map((b) => b.min));
  const hi = totalMax ?? Math.max(...bands.map((b) => b.max));
  return [...bands]
    .sort((a, b) => a.min - b.min)
    .map((b, shade) => ({
      label: b.label,
      from: Math.max(lo, b.min - 0.5),
      to: Math.min(hi, b.max + 0.5),
      shade,
    }));
}

const DAY = 86_400_000;

/**
 * Everything the chart draws for one trend: one line of totals (or one per CADSS time point),
 * the severity bands, the axis ranges, and any treatment-session markers inside them.
 */
export function chartData(trend: TrendView, sessions: readonly string[] = []): TrendChartData {
  const points = trend.points
    .map((p) => ({ p, x: timeValue(p.administeredAt) }))
    .filter((q): q is { p: ScoreView; x: number } => q.x !== null && q.p.total !== null);

  const byTimepoint = new Map<string | null, ChartPoint[]>();
  for (const { p, x } of points) {
    const key = p.timepoint;
    const list = byTimepoint.get(key) ?? [];
    list.push({ x, y: p.total as number, id: p.id });
    byTimepoint.set(key, list);
  }
  const series: ChartSeries[] = [...byTimepoint.entries()].map(([tp, list]) => ({
    label: tp === null ? `${trend.instrumentName} total` : (timepointLabel(tp) ?? tp),
    points: list,
  }));

  const totals = points.map((q) => q.p.total as number);
  const yMin = trend.totalMin ?? Math.min(0, ...totals);
  const yMax = trend.totalMax ?? Math.max(1, ...totals);

  const xs = points.map((q) => q.x);
  let xMin = xs.length > 0 ? Math.min(...xs) : 0;
  let xMax = xs.length > 0 ? Math.max(...xs) : DAY;
  if (xMax - xMin < DAY) {
    // One score (or several on one day): a day either side, so the point is not on the edge.
    xMin -= DAY;
    xMax += DAY;
  }

  const markers = sessions
    .map((s) => timeValue(s))
    .filter((x): x is number => x !== null && x >= xMin && x <= xMax)
    .sort((a, b) => a - b);

  return {
    title: trend.instrumentName,
    series,
    bands: trend.bands.length > 0 ? bandRects(trend.bands, trend.totalMin, trend.totalMax) : [],
    yMin,
    yMax,
    xMin,
    xMax,
    markers,
  };
}
