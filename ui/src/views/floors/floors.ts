// Minimum therapeutic doses ("dose floors"): the words the floors screen shows for a
// DrugFloorView, the drug filter, and the dose box as the core takes it.
import type { DrugFloorView } from "../../lib/bindings";
import { formatDose } from "../../lib/trials";

/** How the reference judges adequacy when it gives no daily floor (the drug file's rule codes). */
const NO_FLOOR_REASONS: Record<string, string> = {
  LVL: "judged by serum level",
  course: "given as a fixed course",
};

/** "50", "62.5", "1,200": the number alone (the unit has its own column). */
export function floorNumber(value: number): string {
  return formatDose(value, null);
}

/** "50 mg/day". */
export function floorText(value: number, unit: string): string {
  return formatDose(value, unit);
}

/** Why a drug has no reference floor, when the reference says. */
export function noFloorReason(floor: DrugFloorView): string | null {
  return NO_FLOOR_REASONS[floor.rule] ?? null;
}

/** The floor that counts: the clinic's when set, else the reference's. */
export function floorInForce(floor: DrugFloorView): number | null {
  return floor.clinicFloor ?? floor.referenceFloor;
}

/** Drugs whose name (or reference id) contains the text, ignoring case and accents. */
export function filterFloors(floors: readonly DrugFloorView[], query: string): DrugFloorView[] {
  const q = fold(query.trim());
  if (q === "") return [...floors];
  return floors.filter((f) => fold(f.drugName).includes(q) || fold(f.drugId).includes(q));
}

function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** A→Z by drug name. */
export function byDrugName(floors: readonly DrugFloorView[]): DrugFloorView[] {
  return [...floors].sort((a, b) =>
    a.drugName.localeCompare(b.drugName, "en-US", { sensitivity: "base" }),
  );
}

/** A number as the dose box shows it: "62.5", never "62.50" or "6.25e1". */
export function doseInput(value: number): string {
  return String(value);
}

/**
 * The dose box as the core takes it: spaces, thousands commas ("1,200") and a typed unit
 * ("100 mg", "100 mg/day") are accepted without an error (ui-guide §7).
 */
export function cleanDose(text: string, unit: string): string {
  let v = text.trim();
  const units = [unit, unit.split("/")[0] ?? ""]
    .map((u) => u.trim())
    .filter((u) => u !== "")
    .sort((a, b) => b.length - a.length);
  for (const u of units) {
    if (v.toLowerCase().endsWith(u.toLowerCase()) && v.length > u.length) {
      v = v.slice(0, v.length - u.length).trim();
      break;
    }
  }
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(v)) v = v.replaceAll(",", "");
  return v.replace(/\s+/g, "");
}
