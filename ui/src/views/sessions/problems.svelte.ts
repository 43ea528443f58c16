// Which of the core's problems the flowsheet shows where. Element ids are "session-" plus the
// core's field path with dots as dashes (`vitals.0.spo2` → `session-vitals-0-spo2`); radio and
// checkbox groups put the first control's id in error-summary links.
//
// The core checks the whole draft after every edit (evaluateSession). A problem is shown under
// its field once that field has been left (a committed grid cell, ui-guide §9) or after a save
// attempt, so nobody is told off while still typing (§5). A save's own messages stay until their
// field's value changes.
import { SvelteSet } from "svelte/reactivity";
import type { FieldProblem } from "../../lib/bindings";
import { fieldId } from "../../lib/errors";
import type { SessionDraft } from "./draft";

export const ID_PREFIX = "session-";

/** The id of the element (or group) a field path names. */
export function baseId(field: string): string {
  return `${ID_PREFIX}${fieldId(field)}`;
}

// "spravato.remsEnrolled" is not asked: the core fills it from the patient's REMS enrollment,
// and its problem links to the read-only line `session-spravato-remsEnrolled`.
const YES_NO = new Set([
  "spravato.vitalsAcceptableBefore",
  "spravato.vitalsAcceptableAtEnd",
  "spravato.sedation",
  "spravato.dissociation",
  "spravato.respiratoryDepression",
]);

/** The control an error-summary or "Before signing" link focuses for a field. */
export function controlId(field: string, draft: SessionDraft | null, doses: number[]): string {
  if (YES_NO.has(field) || field.startsWith("spravato.concomitant.")) {
    return `${baseId(field)}-yes`;
  }
  const parts = field.split(".");
  switch (field) {
    case "spravato.doseMg":
      return `${baseId(field)}-${doses[0] ?? 56}`;
    case "spravato.deviceTimes":
      return `${baseId(field)}-0`;
    case "weight.unit":
      return `${baseId(field)}-kg`;
    case "tms.mtDetermination":
      return `${baseId(field)}-none`;
    case "holdOverride":
      return `${baseId(field)}-reason`;
    case "vitals":
      return `${ID_PREFIX}vitals-0-systolic`;
    case "billing":
      return `${ID_PREFIX}billing-add`;
    case "discharge.criteria":
      return `${ID_PREFIX}discharge-criteria-${draft?.discharge.criteria[0] ?? "first"}`;
  }
  if (parts[0] === "discharge" && parts[1] === "criteria" && parts[2] !== undefined) {
    const id = draft?.discharge.criteria[Number(parts[2])];
    if (id) return `${ID_PREFIX}discharge-criteria-${id}`;
  }
  if (parts[0] === "adverseEvents" && parts[2] === "severity") {
    return `${baseId(field)}-mild`;
  }
  if (parts[0] === "vitals" && parts.length === 2) return `${baseId(field)}-time`;
  return baseId(field);
}

/** The first message per field. */
export function byField(problems: readonly FieldProblem[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of problems) if (!(p.field in out)) out[p.field] = p.message;
  return out;
}

/** An id is this element or inside this group: `session-vitals-0` covers `…-0-time-now`. */
function covers(base: string, id: string): boolean {
  return id === base || id.startsWith(`${base}-`);
}

/** The value at a field path ("vitals.0.spo2") of a draft, as JSON for comparing. */
function valueAt(draft: SessionDraft | null, field: string): string | undefined {
  let at: unknown = draft;
  for (const part of field.split(".")) {
    if (at === null || typeof at !== "object") return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return JSON.stringify(at);
}

export class SessionProblems {
  /** The latest evaluation's problems, by field. */
  live = $state<Record<string, string>>({});
  /** Every problem is on show (after a save attempt). */
  all = $state(false);
  /** Ids of controls the user has left. */
  readonly left = new SvelteSet<string>();
  /** The draft as it was at the last failed save. */
  private attempt: SessionDraft | null = null;

  /**
   * The message under a field: the save's while the field still holds what was saved, else the
   * live one once the field has been left (or after a save attempt).
   */
  message(
    field: string,
    saved: Record<string, string>,
    draft: SessionDraft | null,
  ): string | undefined {
    const fromSave = saved[field];
    if (fromSave && valueAt(draft, field) === valueAt(this.attempt, field)) return fromSave;
    const base = baseId(field);
    if (this.all || this.some(base)) return this.live[field];
    return undefined;
  }

  /** A save of `sent` (the draft as JSON) was refused: every problem shows from now on. */
  saveRefused(sent: string): void {
    this.all = true;
    this.attempt = JSON.parse(sent) as SessionDraft;
  }

  private some(base: string): boolean {
    for (const id of this.left) if (covers(base, id)) return true;
    return false;
  }
}
