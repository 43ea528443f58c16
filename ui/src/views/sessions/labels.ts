// The words the treatment courses and the session flowsheet show for the core's wire values
// (snake_case, as in bindings.ts). Rules and numbers stay in the core: these are labels only.
import type {
  CourseStatusName,
  CourseView,
  EventSeverity,
  IndicationName,
  MtDeterminationName,
  PhaseForm,
  PlannedSessionView,
  TmsProtocolName,
  TreatmentModality,
  TreatmentOptions,
} from "../../lib/bindings";
import { formatDate } from "../../lib/format/date";
import type { Option } from "../record/options";

export const MODALITY_OPTIONS: readonly Option<TreatmentModality>[] = [
  { value: "iv_ketamine", label: "IV ketamine (infusion)" },
  { value: "im_ketamine", label: "IM ketamine (injection)" },
  { value: "spravato", label: "esketamine nasal spray (Spravato)" },
  { value: "tms", label: "Transcranial magnetic stimulation (TMS)" },
];

export const INDICATION_OPTIONS: readonly Option<IndicationName>[] = [
  { value: "trd", label: "Treatment-resistant depression (TRD)" },
  {
    value: "mdsi",
    label: "Depression with acute suicidal ideation or behaviour (MDSI)",
  },
];

/** What a course of this treatment may treat: MDSI is a Spravato indication only. */
export function indicationOptions(
  modality: TreatmentModality | null,
): readonly Option<IndicationName>[] {
  return modality === "spravato"
    ? INDICATION_OPTIONS
    : INDICATION_OPTIONS.filter((o) => o.value !== "mdsi");
}

export const COURSE_STATUS_OPTIONS: readonly Option<CourseStatusName>[] = [
  { value: "active", label: "Active" },
  { value: "paused", label: "Paused" },
  { value: "completed", label: "Completed" },
  { value: "stopped", label: "Stopped" },
];

export const EVENT_SEVERITY_OPTIONS: readonly Option<EventSeverity>[] = [
  { value: "mild", label: "Mild" },
  { value: "moderate", label: "Moderate" },
  { value: "severe", label: "Severe" },
];

export const MT_OPTIONS: readonly Option<MtDeterminationName>[] = [
  { value: "none", label: "Not determined this session" },
  { value: "initial", label: "Initial determination" },
  { value: "redetermination", label: "Re-determination" },
];

export const TMS_PROTOCOL_OPTIONS: readonly Option<TmsProtocolName>[] = [
  { value: "hz10", label: "10 Hz left DLPFC" },
  { value: "itbs", label: "iTBS (intermittent theta burst)" },
  { value: "hz1_right", label: "1 Hz right DLPFC" },
  { value: "other", label: "Other" },
];

export function modalityLabel(m: TreatmentModality | null | undefined): string {
  return MODALITY_OPTIONS.find((o) => o.value === m)?.label ?? "Treatment not chosen";
}

export function indicationLabel(i: IndicationName | null | undefined): string {
  return INDICATION_OPTIONS.find((o) => o.value === i)?.label ?? "Not recorded";
}

export function statusLabel(s: CourseStatusName): string {
  return COURSE_STATUS_OPTIONS.find((o) => o.value === s)?.label ?? s;
}

/** "Induction: 3 a week for 2 weeks", "Maintenance: 1 every 4 weeks, open-ended". */
export function phaseText(p: PhaseForm): string {
  const often =
    p.everyWeeks <= 1 ? `${p.perWeek} a week` : `${p.perWeek} every ${p.everyWeeks} weeks`;
  const length =
    p.weeks === null ? ", open-ended" : ` for ${p.weeks} ${p.weeks === 1 ? "week" : "weeks"}`;
  return `${p.label}: ${often}${length}`;
}

/** "Session 4 of planned 8 (authorized 8)", from the core's counts. */
export function courseCountText(c: CourseView): string {
  const a = c.authorization;
  const authorized = a
    ? `authorized ${a.sessions} by approval${a.authNumber ? ` ${a.authNumber}` : ""} to ${formatDate(a.end)}, ${a.used} used`
    : c.authorized === null
      ? "no authorized units recorded"
      : `authorized ${c.authorized}, as entered on the course`;
  if (c.sessions === 0) return `No sessions yet; planned ${c.plannedTotal} (${authorized})`;
  return `Session ${c.sessions} of planned ${c.plannedTotal} (${authorized})`;
}

/** "Session 4 of 8 (authorized 8)", from a session's facts. */
export function sessionCountText(n: number, planned: number, authorized: number | null): string {
  return `Session ${n} of ${planned}${authorized === null ? "" : ` (authorized ${authorized})`}`;
}

/** The next few planned sessions after those charted (the plan is the core's). */
export function nextPlanned(c: CourseView, count = 3): PlannedSessionView[] {
  return c.plan.filter((p) => p.number > c.sessions).slice(0, count);
}

/** A vitals row's name: the clinic's timepoint label, or "Recheck". */
export function timepointLabel(
  options: TreatmentOptions | null,
  modality: TreatmentModality,
  id: string,
): string {
  if (id === "recheck") return "Recheck";
  const list = options?.timepoints.find((t) => t.modality === modality)?.timepoints ?? [];
  return list.find((t) => t.id === id)?.label ?? id;
}

/** The treatment a session's content is for (the block it carries). */
export function sessionModality(s: {
  ketamine: unknown;
  spravato: unknown;
  tms: unknown;
}): "ketamine" | "spravato" | "tms" {
  if (s.spravato) return "spravato";
  if (s.tms) return "tms";
  return "ketamine";
}
