import type { Sex } from "../bindings";

/** The options offered for sex at birth, in the order the form shows them. */
export const SEX_OPTIONS: readonly { value: Sex; label: string }[] = [
  { value: "female", label: "Female" },
  { value: "male", label: "Male" },
  { value: "intersex", label: "Intersex" },
  { value: "unknown", label: "Not known" },
];

/** Words for a recorded sex at birth; nothing recorded reads "Not known", never a blank. */
export function formatSex(sex: Sex | null): string {
  return SEX_OPTIONS.find((o) => o.value === sex)?.label ?? "Not known";
}
