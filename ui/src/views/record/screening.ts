// Screening helpers: the questions a treatment asks (read once per treatment for the chart) and
// the words a screening is summed up in.
import { commands, type ScreeningItemView, type ScreeningModality } from "../../lib/bindings";
import { toResult } from "../../lib/ipc";
import { labelOf, SCREENING_MODALITY_OPTIONS } from "./options";
import type { RecordOf } from "./store.svelte";
import { lines, shown } from "./values";

export type ItemLoader = (modality: ScreeningModality) => Promise<ScreeningItemView[] | null>;

/** Reads each treatment's questions once; a failed read is tried again next time. */
export function itemLoader(): ItemLoader {
  const cache = new Map<ScreeningModality, Promise<ScreeningItemView[] | null>>();
  return (modality) => {
    let pending = cache.get(modality);
    if (!pending) {
      pending = toResult(commands.screeningItems(modality)).then((r) => {
        if (r.status === "ok") return r.data;
        cache.delete(modality);
        return null;
      });
      cache.set(modality, pending);
    }
    return pending;
  };
}

type Screening = RecordOf<"screening">["content"];

export function modalityLabel(m: ScreeningModality | null): string {
  return labelOf(SCREENING_MODALITY_OPTIONS, m) ?? "Treatment not chosen";
}

/** "128/82 mmHg on 02-Mar-2026; 131/85 mmHg on 03-Mar-2026". */
export function bloodPressureText(s: Screening): string | null {
  if (s.bloodPressure.length === 0) return null;
  return s.bloodPressure
    .map((bp) => `${bp.systolic}/${bp.diastolic} mmHg on ${shown(bp.date) ?? bp.date}`)
    .join("; ");
}

export function allergyText(s: Screening): string | null {
  if (s.noKnownAllergies) return "No known drug allergies";
  const list = lines(s.allergies);
  return list.length > 0 ? list.join(", ") : null;
}

export function pdmpText(s: Screening): string | null {
  if (!s.pdmpCheckedOn && !s.pdmpResult) return null;
  const on = s.pdmpCheckedOn ? `Checked ${shown(s.pdmpCheckedOn)}` : "Check date not recorded";
  return s.pdmpResult ? `${on}: ${s.pdmpResult}` : on;
}

/** What a provider is asked to sign, as label/value rows. */
export function screeningSummary(
  record: RecordOf<"screening">,
): { label: string; value: string | null }[] {
  const s = record.content;
  const yes = s.answers.filter((a) => a.answer === "yes").length;
  const answered = s.answers.filter((a) => a.answer !== null).length;
  return [
    { label: "Screening", value: `${modalityLabel(s.modality)}, ${shown(s.date) ?? s.date}` },
    { label: "Questions", value: `${answered} answered, ${yes} of them yes` },
    {
      label: "Findings",
      value:
        record.notes.length > 0
          ? record.notes.join("; ")
          : "No contraindications or warnings answered yes",
    },
    { label: "Blood pressure", value: bloodPressureText(s) },
    { label: "Allergies", value: allergyText(s) },
    { label: "PDMP", value: pdmpText(s) },
  ];
}
