// A session in words: what a provider is asked to sign, and the read-only record's rows. The
// numbers are the core's (facts) or as recorded; nothing is worked out here.
import type {
  CourseView,
  MtDeterminationName,
  SessionFactsView,
  SessionForm,
} from "../../lib/bindings";
import { labelOf } from "../record/options";
import { shown } from "../record/values";
import { MT_OPTIONS, sessionCountText, TMS_PROTOCOL_OPTIONS } from "./labels";

export type Row = { label: string; value: string | null };

function yesNo(v: boolean | null): string | null {
  return v === null ? null : v ? "Yes" : "No";
}

function withUnit(v: string | null | undefined, unit: string): string | null {
  return v ? `${v} ${unit}` : null;
}

/** The dose and delivery as recorded, by treatment. */
export function deliveryRows(s: SessionForm, facts: SessionFactsView | null): Row[] {
  if (s.ketamine) {
    const k = s.ketamine;
    return [
      { label: "Weight", value: s.weight?.value ? `${s.weight.value} ${s.weight.unit}` : null },
      { label: "Dose ordered", value: withUnit(k.mgPerKg, "mg/kg") },
      { label: "Dose", value: facts?.doseArithmetic ?? null },
      { label: "Vial concentration", value: withUnit(k.concentrationMgPerMl, "mg/mL") },
      { label: "Lot and expiry", value: lotText(k.lot, k.expiry) },
      { label: "Start", value: k.startTime },
      ...(k.stopTime ? [{ label: "Stop", value: k.stopTime }] : []),
      ...(k.limitOverride
        ? [{ label: "Dose override", value: overrideText(k.limitOverride) }]
        : []),
    ];
  }
  if (s.spravato) {
    const sp = s.spravato;
    return [
      { label: "Enrolled in the REMS", value: yesNo(sp.remsEnrolled) },
      { label: "Dose", value: sp.doseMg === null ? null : `${sp.doseMg} mg` },
      { label: "Devices used at", value: sp.deviceTimes.length ? sp.deviceTimes.join(", ") : null },
      { label: "Lot and expiry", value: lotText(sp.lot, sp.expiry) },
      {
        label: "Ready to leave",
        value: withUnit(sp.readyToLeaveMinutes, "minutes after the first device"),
      },
      { label: "Sedation", value: yesNo(sp.sedation) },
      { label: "Dissociation", value: yesNo(sp.dissociation) },
      { label: "Respiratory depression", value: yesNo(sp.respiratoryDepression) },
    ];
  }
  if (s.tms) {
    const t = s.tms;
    return [
      { label: "Motor threshold", value: mtText(t.mtDetermination, t.motorThresholdPercent) },
      { label: "Coil location", value: t.coilLocation },
      { label: "Intensity", value: withUnit(t.intensityPercentMt, "% of motor threshold") },
      { label: "Protocol", value: labelOf(TMS_PROTOCOL_OPTIONS, t.protocol) },
      { label: "Frequency", value: withUnit(t.frequencyHz, "Hz") },
      { label: "Pulses", value: pulsesText(t.trains, t.pulsesPerTrain, t.totalPulses) },
      {
        label: "Start and stop",
        value: t.startTime ? `${t.startTime} to ${t.stopTime ?? "not recorded"}` : null,
      },
    ];
  }
  return [];
}

function lotText(lot: string | null, expiry: string | null): string | null {
  if (!lot && !expiry) return null;
  return `${lot ?? "Lot not recorded"}, ${expiry ? `expires ${shown(expiry)}` : "expiry not recorded"}`;
}

function overrideText(o: { reason: string; byName: string | null }): string {
  return o.byName ? `${o.reason} (${o.byName})` : o.reason;
}

function mtText(m: MtDeterminationName, pct: string | null): string {
  const what = labelOf(MT_OPTIONS, m) ?? "";
  return pct ? `${what}: ${pct} % of machine output` : what;
}

function pulsesText(
  trains: string | null,
  per: string | null,
  total: string | null,
): string | null {
  if (!trains && !per && !total) return null;
  const parts = [
    trains ? `${trains} trains` : null,
    per ? `${per} pulses per train` : null,
    total ? `${total} in total` : null,
  ].filter(Boolean);
  return parts.join(", ");
}

/** What a provider is asked to sign. */
export function signSummary(
  course: CourseView,
  s: SessionForm,
  facts: SessionFactsView | null,
): Row[] {
  return [
    { label: "Session", value: `${course.title}, ${shown(s.date) ?? s.date}` },
    {
      label: "Place in the course",
      value: facts
        ? sessionCountText(facts.sessionNumber, facts.plannedTotal, facts.authorizedUnits)
        : null,
    },
    ...deliveryRows(s, facts).slice(0, 4),
    {
      label: "Monitoring",
      value: facts?.monitoringMinutes != null ? `${facts.monitoringMinutes} minutes` : null,
    },
    {
      label: "Before signing",
      value: facts
        ? facts.missing.length === 0
          ? "Nothing missing"
          : facts.missing.map((m) => m.message).join("; ")
        : null,
    },
  ];
}
