// What the patient is asked on the kiosk and what is sent: only the questions asked (C-SSRS
// follow-up questions appear when the question they depend on has the answer they need), and
// only the answers to those.
import type { InstrumentItemView, InstrumentView } from "../../lib/bindings";

export type Answers = Record<string, number | undefined>;

/** Whether a question is asked, given the answers so far. */
export function isAsked(item: InstrumentItemView, answers: Answers): boolean {
  if (item.askedIfItem === null) return true;
  return answers[item.askedIfItem] === item.askedIfEquals;
}

/** The questions asked, in the questionnaire's order. */
export function askedItems(instrument: InstrumentView, answers: Answers): InstrumentItemView[] {
  return instrument.items.filter((item) => isAsked(item, answers));
}

/** Required questions asked but not answered yet. */
export function unanswered(instrument: InstrumentView, answers: Answers): InstrumentItemView[] {
  return askedItems(instrument, answers).filter(
    (item) => item.required && answers[item.id] === undefined,
  );
}

/** The answers to send: asked and answered questions only, keyed by question number. */
export function answersToSend(
  instrument: InstrumentView,
  answers: Answers,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of askedItems(instrument, answers)) {
    const value = answers[item.id];
    if (value !== undefined) out[item.id] = value;
  }
  return out;
}

/** The id of a question's answer: `kiosk-q-9-1` is question 9 answered 1. */
export function answerId(itemId: string, value: number): string {
  return `kiosk-q-${itemId}-${value}`;
}

/** What the patient reads before the questions: the stem, or the recall period. */
export function introduction(instrument: InstrumentView): string | null {
  if (instrument.stem) return instrument.stem;
  if (instrument.recallPeriod) {
    return `Answer each question about the ${instrument.recallPeriod.toLowerCase()}.`;
  }
  return null;
}
