// The clinic's treatment settings as the form holds them: the wire document with every number
// kept as typed, and the conversion back on save. Only the conversion happens here (a box that
// does not hold a number cannot be sent); every rule about the values is the core's, and its
// field errors come back with paths like "doseLimits.stopAboveMgPerKg" or
// "protocols.2.phases.0".
import type {
  IndicationName,
  TreatmentModality,
  TsHoldThreshold,
  TsPhase,
  TsProtocol,
  TsSettings,
  TsTimepoint,
} from "../../lib/bindings";
import { fieldId } from "../../lib/errors";

/** The wire document's key for a treatment (camelCase), as in `holdThresholds.ivKetamine`. */
export type ModalityKey = "ivKetamine" | "imKetamine" | "spravato" | "tms";

export type ModalityInfo = {
  key: ModalityKey;
  /** The wire value, also the core's name in `timepoints.iv_ketamine` error paths. */
  wire: TreatmentModality;
  label: string;
};

export const MODALITIES: readonly ModalityInfo[] = [
  { key: "ivKetamine", wire: "iv_ketamine", label: "IV ketamine" },
  { key: "imKetamine", wire: "im_ketamine", label: "IM ketamine" },
  { key: "spravato", wire: "spravato", label: "esketamine (Spravato)" },
  { key: "tms", wire: "tms", label: "TMS" },
];

export function modalityLabel(wire: TreatmentModality): string {
  return MODALITIES.find((m) => m.wire === wire)?.label ?? wire;
}

export function indicationLabel(indication: IndicationName): string {
  return indication === "trd"
    ? "treatment-resistant depression"
    : "depression with acute suicidal ideation or behaviour";
}

/** The vital signs whose alert range the clinic sets (the MOAA/S range is shown, not edited). */
export type RangeSign = "systolic" | "diastolic" | "heartRate" | "spo2" | "respiratoryRate";

export const RANGE_SIGNS: readonly {
  key: RangeSign;
  label: string;
  unit: string;
  /** Shown in "must be a whole number, like …" messages. */
  example: [string, string];
}[] = [
  { key: "systolic", label: "Systolic blood pressure", unit: "mmHg", example: ["90", "160"] },
  { key: "diastolic", label: "Diastolic blood pressure", unit: "mmHg", example: ["50", "100"] },
  { key: "heartRate", label: "Heart rate", unit: "beats per minute", example: ["50", "110"] },
  { key: "spo2", label: "Oxygen saturation (SpO2)", unit: "%", example: ["94", "100"] },
  {
    key: "respiratoryRate",
    label: "Breathing rate",
    unit: "breaths per minute",
    example: ["10", "24"],
  },
];

export type PhaseEntry = { label: string; weeks: string; perWeek: string; everyWeeks: string };

export type ProtocolEntry = Omit<TsProtocol, "phases"> & { phases: PhaseEntry[] };

export type TimepointEntry = {
  /** The core's id; null for a timepoint added here (given one on save). */
  id: string | null;
  label: string;
  minutes: string;
  /** Pre-dose (first) and pre-discharge (last): kept as they are. */
  fixed: boolean;
  /** Keys the row in the list while it is edited. */
  key: number;
};

export type HoldEntry = {
  systolic: string;
  diastolic: string;
  heartRate: string;
  sources: string[];
  verified: boolean;
};

export type SettingsEntry = {
  protocols: ProtocolEntry[];
  doseLimits: {
    warnAboveMgPerKg: string;
    stopAboveMgPerKg: string;
    sources: string[];
    verified: boolean;
  };
  weight: {
    minKg: string;
    maxKg: string;
    questionChangePercent: string;
    sources: string[];
    verified: boolean;
  };
  timepoints: Record<ModalityKey, TimepointEntry[]> & { sources: string[]; verified: boolean };
  alertRanges: Record<RangeSign, [string, string]> & {
    moaas: [number, number];
    sources: string[];
    verified: boolean;
  };
  holdThresholds: Record<ModalityKey, HoldEntry>;
};

let nextKey = 1;

/** A number as the form shows it: no trailing zeros, a leading zero ("0.5"). */
function shown(n: number | null): string {
  return n === null ? "" : String(n);
}

function timepointEntries(list: TsTimepoint[]): TimepointEntry[] {
  return list.map((t, i) => ({
    id: t.id,
    label: t.label,
    minutes: shown(t.minutes),
    fixed: i === 0 || (i === list.length - 1 && t.id === "discharge"),
    key: nextKey++,
  }));
}

function holdEntry(h: TsHoldThreshold): HoldEntry {
  return {
    systolic: shown(h.systolic),
    diastolic: shown(h.diastolic),
    heartRate: shown(h.heartRate),
    sources: [...h.sources],
    verified: h.verified,
  };
}

function pair(r: [number, number]): [string, string] {
  return [String(r[0]), String(r[1])];
}

export function toEntry(s: TsSettings): SettingsEntry {
  const tp = s.timepoints;
  const a = s.alertRanges;
  const h = s.holdThresholds;
  return {
    protocols: s.protocols.map((p) => ({
      ...p,
      sources: [...p.sources],
      phases: p.phases.map((ph) => ({
        label: ph.label,
        weeks: shown(ph.weeks),
        perWeek: String(ph.perWeek),
        everyWeeks: String(ph.everyWeeks),
      })),
    })),
    doseLimits: {
      warnAboveMgPerKg: String(s.doseLimits.warnAboveMgPerKg),
      stopAboveMgPerKg: String(s.doseLimits.stopAboveMgPerKg),
      sources: [...s.doseLimits.sources],
      verified: s.doseLimits.verified,
    },
    weight: {
      minKg: String(s.weight.minKg),
      maxKg: String(s.weight.maxKg),
      questionChangePercent: String(s.weight.questionChangePercent),
      sources: [...s.weight.sources],
      verified: s.weight.verified,
    },
    timepoints: {
      ivKetamine: timepointEntries(tp.ivKetamine),
      imKetamine: timepointEntries(tp.imKetamine),
      spravato: timepointEntries(tp.spravato),
      tms: timepointEntries(tp.tms),
      sources: [...tp.sources],
      verified: tp.verified,
    },
    alertRanges: {
      systolic: pair(a.systolic),
      diastolic: pair(a.diastolic),
      heartRate: pair(a.heartRate),
      spo2: pair(a.spo2),
      respiratoryRate: pair(a.respiratoryRate),
      moaas: [a.moaas[0], a.moaas[1]],
      sources: [...a.sources],
      verified: a.verified,
    },
    holdThresholds: {
      ivKetamine: holdEntry(h.ivKetamine),
      imKetamine: holdEntry(h.imKetamine),
      spravato: holdEntry(h.spravato),
      tms: holdEntry(h.tms),
    },
  };
}

/** A new timed reading, placed before pre-discharge when the list ends with it. */
export function addTimepoint(list: TimepointEntry[]): number {
  const entry: TimepointEntry = { id: null, label: "", minutes: "", fixed: false, key: nextKey++ };
  const last = list[list.length - 1];
  const at = list.length > 1 && last?.fixed ? list.length - 1 : list.length;
  list.splice(at, 0, entry);
  return at;
}

export function newPhase(): PhaseEntry {
  return { label: "", weeks: "", perWeek: "", everyWeeks: "" };
}

/** One field error as the core words them, keyed by the core's path. */
export type Problem = { field: string; message: string };

// Units people type after a number; accepted and ignored (ui-guide §7).
const UNIT = /(mg\/kg|kg|%|mmhg|bpm|beats?\/min|breaths?\/min|\/min|minutes?|mins?|weeks?)$/i;

function cleaned(raw: string): string {
  return raw.replace(/[\s,]/g, "").replace(UNIT, "");
}

type Reader = {
  problems: Problem[];
  /** `thing` reads after "Enter", like "the warning limit". */
  decimal(raw: string, field: string, thing: string, example: string): number;
  whole(raw: string, field: string, thing: string, example: string): number;
  /** Empty is null (an open-ended phase, a vital sign not checked). */
  optionalWhole(raw: string, field: string, thing: string, example: string): number | null;
};

function capitalised(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function reader(): Reader {
  const problems: Problem[] = [];
  const fail = (field: string, message: string) => {
    if (!problems.some((p) => p.field === field)) problems.push({ field, message });
    return 0;
  };
  const whole = (raw: string, field: string, thing: string, example: string): number => {
    const t = cleaned(raw);
    if (t === "") return fail(field, `Enter ${thing}`);
    if (!/^\d{1,9}$/.test(t)) {
      return fail(field, `${capitalised(thing)} must be a whole number, like ${example}`);
    }
    return Number(t);
  };
  return {
    problems,
    decimal(raw, field, thing, example) {
      const t = cleaned(raw);
      if (t === "") return fail(field, `Enter ${thing}`);
      const n = /^(\d+(\.\d*)?|\.\d+)$/.test(t) ? Number(t) : NaN;
      if (!Number.isFinite(n)) {
        return fail(field, `${capitalised(thing)} must be a number, like ${example}`);
      }
      return n;
    },
    whole,
    optionalWhole(raw, field, thing, example) {
      return cleaned(raw) === "" ? null : whole(raw, field, thing, example);
    },
  };
}

/** A timepoint id for a new row: "m45" for 45 minutes, unless a row already has it. */
function newTimepointId(minutes: number | null, taken: Set<string>): string {
  const base = minutes === null ? "t" : `m${minutes}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

function timepointsOut(r: Reader, list: TimepointEntry[], m: ModalityInfo): TsTimepoint[] {
  const taken = new Set(list.flatMap((t) => (t.id === null ? [] : [t.id])));
  return list.map((t, i) => {
    if (t.fixed && t.id !== null) {
      // Pre-dose and pre-discharge have no minutes and are not edited here.
      return { id: t.id, label: t.label, minutes: null };
    }
    const name = t.label.trim() || `reading ${i + 1}`;
    const minutes = r.whole(
      t.minutes,
      `timepoints.${m.wire}.${i}.minutes`,
      `the minutes after the dose for ${name} (${m.label})`,
      "45",
    );
    const id = t.id ?? newTimepointId(minutes, taken);
    taken.add(id);
    return { id, label: t.label, minutes };
  });
}

function holdOut(r: Reader, e: HoldEntry, m: ModalityInfo): TsHoldThreshold {
  const at = `holdThresholds.${m.key}`;
  const thing = (sign: string) => `the ${sign} hold for ${m.label}`;
  return {
    systolic: r.optionalWhole(e.systolic, `${at}.systolic`, thing("systolic"), "140"),
    diastolic: r.optionalWhole(e.diastolic, `${at}.diastolic`, thing("diastolic"), "90"),
    heartRate: r.optionalWhole(e.heartRate, `${at}.heartRate`, thing("heart rate"), "110"),
    sources: e.sources,
    verified: e.verified,
  };
}

function phaseOut(r: Reader, ph: PhaseEntry, at: string, name: string): TsPhase {
  return {
    label: ph.label,
    weeks: r.optionalWhole(ph.weeks, `${at}.weeks`, `the weeks of ${name}`, "4"),
    perWeek: r.whole(ph.perWeek, `${at}.perWeek`, `the sessions per week of ${name}`, "2"),
    everyWeeks: r.whole(
      ph.everyWeeks,
      `${at}.everyWeeks`,
      `how often ${name} repeats, in weeks`,
      "1",
    ),
  };
}

/** The wire document from the form, or the boxes that do not hold a number (nothing is sent). */
export function fromEntry(
  e: SettingsEntry,
): { settings: TsSettings; problems: [] } | { settings: null; problems: Problem[] } {
  const r = reader();
  const ranges = {} as Record<RangeSign, [number, number]>;
  for (const s of RANGE_SIGNS) {
    const [lo, hi] = e.alertRanges[s.key];
    const sign = s.label.charAt(0).toLowerCase() + s.label.slice(1);
    ranges[s.key] = [
      r.whole(lo, `alertRanges.${s.key}.0`, `the low end of the ${sign} range`, s.example[0]),
      r.whole(hi, `alertRanges.${s.key}.1`, `the high end of the ${sign} range`, s.example[1]),
    ];
  }
  const byKey = Object.fromEntries(MODALITIES.map((m) => [m.key, m])) as Record<
    ModalityKey,
    ModalityInfo
  >;
  const tp = (k: ModalityKey) => timepointsOut(r, e.timepoints[k], byKey[k]);
  const hold = (k: ModalityKey) => holdOut(r, e.holdThresholds[k], byKey[k]);
  const settings: TsSettings = {
    protocols: e.protocols.map((p, i) => ({
      ...p,
      phases: p.phases.map((ph, j) => {
        const name = `${ph.label.trim() || `phase ${j + 1}`} (${modalityLabel(p.modality)})`;
        return phaseOut(r, ph, `protocols.${i}.phases.${j}`, name);
      }),
    })),
    doseLimits: {
      warnAboveMgPerKg: r.decimal(
        e.doseLimits.warnAboveMgPerKg,
        "doseLimits.warnAboveMgPerKg",
        "the warning limit",
        "0.5",
      ),
      stopAboveMgPerKg: r.decimal(
        e.doseLimits.stopAboveMgPerKg,
        "doseLimits.stopAboveMgPerKg",
        "the hard stop",
        "1",
      ),
      sources: e.doseLimits.sources,
      verified: e.doseLimits.verified,
    },
    weight: {
      minKg: r.decimal(e.weight.minKg, "weight.minKg", "the lowest weight", "30"),
      maxKg: r.decimal(e.weight.maxKg, "weight.maxKg", "the highest weight", "300"),
      questionChangePercent: r.decimal(
        e.weight.questionChangePercent,
        "weight.questionChangePercent",
        "the weight change that is questioned",
        "20",
      ),
      sources: e.weight.sources,
      verified: e.weight.verified,
    },
    timepoints: {
      ivKetamine: tp("ivKetamine"),
      imKetamine: tp("imKetamine"),
      spravato: tp("spravato"),
      tms: tp("tms"),
      sources: e.timepoints.sources,
      verified: e.timepoints.verified,
    },
    alertRanges: {
      ...ranges,
      moaas: e.alertRanges.moaas,
      sources: e.alertRanges.sources,
      verified: e.alertRanges.verified,
    },
    holdThresholds: {
      ivKetamine: hold("ivKetamine"),
      imKetamine: hold("imKetamine"),
      spravato: hold("spravato"),
      tms: hold("tms"),
    },
  };
  return r.problems.length > 0
    ? { settings: null, problems: r.problems }
    : { settings, problems: [] };
}

/** The element id for a field path: "doseLimits.stopAboveMgPerKg" → "ts-doseLimits-stopAboveMgPerKg". */
export function tsId(field: string): string {
  return `ts-${fieldId(field)}`;
}

/**
 * The control an error summary link focuses: the box itself, or the first box of a group
 * (a range's low value, a protocol's name, a phase's name, a list's first editable reading).
 */
export function summaryTarget(field: string, entry: SettingsEntry | null): string | undefined {
  let m = /^alertRanges\.(\w+)$/.exec(field);
  if (m) return tsId(`alertRanges.${m[1]}.0`);
  if (field === "weight") return tsId("weight.minKg");
  m = /^protocols\.(\d+)(\.phases\.(\d+))?$/.exec(field);
  if (m) return tsId(`${field}.label`);
  m = /^timepoints\.(\w+)$/.exec(field);
  if (m) {
    const info = MODALITIES.find((x) => x.wire === m?.[1]);
    const list = info && entry ? entry.timepoints[info.key] : [];
    const first = list.findIndex((t) => !t.fixed);
    return first >= 0 ? tsId(`${field}.${first}.label`) : tsId(field);
  }
  if (field === "protocols") return tsId(field);
  return /^[\w.]+$/.test(field) && field !== "settings" ? tsId(field) : undefined;
}
