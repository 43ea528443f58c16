// The choices each chart form offers, in the words the chart shows, with the wire values the core
// expects (snake_case, as in bindings.ts).
import type {
  Benefit,
  ConfirmedBy,
  Course,
  DiagnosisStatus,
  Modality,
  Priority,
  Relationship,
  ScreeningModality,
  Severity,
  TherapyOutcome,
  Treatment,
  TreatmentResponse,
  TreatmentStatus,
} from "../../lib/bindings";

export type Option<T extends string> = { value: T; label: string };

export const RELATIONSHIP_OPTIONS: readonly Option<Relationship>[] = [
  { value: "self", label: "Self" },
  { value: "spouse", label: "Spouse or partner" },
  { value: "child", label: "Child" },
  { value: "other", label: "Other" },
];

export const BENEFIT_OPTIONS: readonly Option<Benefit>[] = [
  { value: "medical", label: "Medical" },
  { value: "pharmacy", label: "Pharmacy" },
  { value: "both", label: "Medical and pharmacy" },
];

export const PRIORITY_OPTIONS: readonly Option<Priority>[] = [
  { value: "primary", label: "Primary" },
  { value: "secondary", label: "Secondary" },
  { value: "tertiary", label: "Tertiary" },
];

export const DIAGNOSIS_STATUS_OPTIONS: readonly Option<DiagnosisStatus>[] = [
  { value: "active", label: "Active" },
  { value: "resolved", label: "Resolved" },
];

export const COURSE_OPTIONS: readonly Option<Course>[] = [
  { value: "single", label: "Single episode" },
  { value: "recurrent", label: "Recurrent" },
];

export const SEVERITY_OPTIONS: readonly Option<Severity>[] = [
  { value: "mild", label: "Mild" },
  { value: "moderate", label: "Moderate" },
  { value: "severe", label: "Severe" },
];

export const YES_NO_OPTIONS: readonly Option<"yes" | "no">[] = [
  { value: "yes", label: "Yes" },
  { value: "no", label: "No" },
];

export const CONFIRMED_BY_OPTIONS: readonly Option<ConfirmedBy>[] = [
  { value: "clinical_interview", label: "Clinical interview" },
  { value: "structured_interview", label: "Structured interview" },
];

export const MODALITY_OPTIONS: readonly Option<Modality>[] = [
  { value: "cbt", label: "Cognitive behavioural therapy (CBT)" },
  { value: "ipt", label: "Interpersonal therapy (IPT)" },
  { value: "behavioural_activation", label: "Behavioural activation" },
  { value: "psychodynamic", label: "Psychodynamic therapy" },
  { value: "dbt", label: "Dialectical behaviour therapy (DBT)" },
  { value: "other", label: "Other" },
];

export const THERAPY_OUTCOME_OPTIONS: readonly Option<TherapyOutcome>[] = [
  { value: "no_response", label: "No response" },
  { value: "partial_response", label: "Partial response" },
  { value: "response", label: "Response" },
  { value: "remission", label: "Remission" },
  { value: "discontinued", label: "Stopped early" },
  { value: "unknown", label: "Not known" },
];

export const TREATMENT_OPTIONS: readonly Option<Treatment>[] = [
  { value: "ect", label: "Electroconvulsive therapy (ECT)" },
  { value: "tms", label: "Transcranial magnetic stimulation (TMS)" },
  { value: "esketamine", label: "esketamine (Spravato)" },
  { value: "ketamine", label: "ketamine" },
];

export const TREATMENT_STATUS_OPTIONS: readonly Option<TreatmentStatus>[] = [
  { value: "done", label: "Done" },
  { value: "considered", label: "Considered" },
  { value: "contraindicated", label: "Contraindicated" },
  { value: "declined", label: "Declined" },
];

export const RESPONSE_OPTIONS: readonly Option<TreatmentResponse>[] = [
  { value: "none", label: "No response" },
  { value: "partial", label: "Partial response" },
  { value: "response", label: "Response" },
  { value: "remission", label: "Remission" },
  { value: "unknown", label: "Not known" },
];

export const SCREENING_MODALITY_OPTIONS: readonly Option<ScreeningModality>[] = [
  { value: "spravato", label: "esketamine (Spravato)" },
  { value: "iv_ketamine", label: "IV ketamine" },
  { value: "tms", label: "TMS" },
];

/** The label of a wire value, or the value itself when it is not in the list. */
export function labelOf<T extends string>(
  options: readonly Option<T>[],
  value: T | null | undefined,
): string | null {
  if (value === null || value === undefined) return null;
  return options.find((o) => o.value === value)?.label ?? value;
}
