// Words and small helpers for the consent and ABN screens. Rules (which consents are required,
// whether a signature is enough, whether an ABN is needed) stay in the core.
import type { SignatureForm } from "../../lib/bindings";

/** The self-pay financial agreement's template key. */
export const SELF_PAY_KEY = "self_pay";

/** The field the core names when the patient's pad is empty or trivial. */
export const PATIENT_SIGNATURE = "patientSignature";
export const WITNESS_SIGNATURE = "witnessSignature";

/** Shown before the core answers, so the signer knows at once; the core's words win. */
export const EMPTY_PAD_HINT = "The pad is empty: the signature is needed before signing";

/** The placeholders a template body may use, as the core fills them in (consent/template.rs). */
export const PLACEHOLDERS: readonly { name: string; meaning: string }[] = [
  { name: "{{patient.name}}", meaning: "The patient's name" },
  { name: "{{patient.dob}}", meaning: "The patient's date of birth" },
  { name: "{{clinic.name}}", meaning: "The clinic's name" },
  { name: "{{date}}", meaning: "The date of signing" },
  { name: "{{provider.name}}", meaning: "The staff member preparing the consent" },
];

/**
 * The ABN's three options, shortened from Form CMS-R-131 (UNVERIFIED against the current CMS
 * form; the signed PDF prints the form's wording from the core).
 */
export const ABN_OPTIONS: readonly { value: number; label: string; text: string }[] = [
  {
    value: 1,
    label: "Option 1",
    text: "I want the service. Bill Medicare for an official decision. If Medicare does not pay, I am responsible for payment, but I can appeal",
  },
  {
    value: 2,
    label: "Option 2",
    text: "I want the service, but do not bill Medicare. I am responsible for payment and I cannot appeal",
  },
  {
    value: 3,
    label: "Option 3",
    text: "I do not want the service. I am not responsible for payment and I cannot appeal",
  },
];

/** What a placeholder becomes, in words; unknown ones are listed without a meaning. */
export function placeholderMeaning(name: string): string {
  return PLACEHOLDERS.find((p) => p.name === name)?.meaning ?? "Filled in by KetaChart";
}

export function abnOptionLabel(option: number): string {
  return ABN_OPTIONS.find((o) => o.value === option)?.label ?? `Option ${option}`;
}

/** A point group from signature_pad's toData(): only x and y matter here. */
export type PadGroup = { points: readonly { x: number; y: number }[] };

/** The pad's strokes as the core takes them, rounded to a tenth of a CSS pixel. */
export function toSignature(
  width: number,
  height: number,
  groups: readonly PadGroup[],
): SignatureForm {
  const r = (n: number) => Math.round(n * 10) / 10;
  return {
    width: Math.round(width),
    height: Math.round(height),
    strokes: groups.map((g) => g.points.map((p) => [r(p.x), r(p.y)])).filter((s) => s.length > 0),
  };
}

export const EMPTY_SIGNATURE: SignatureForm = { width: 0, height: 0, strokes: [] };

export function isBlank(s: SignatureForm): boolean {
  return s.strokes.length === 0;
}
