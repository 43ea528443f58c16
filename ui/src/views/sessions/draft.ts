// The flowsheet's editable copy of a session: the core's SessionForm, except that billing units
// are kept as typed (the wire wants a whole number). Everything else is sent exactly as held;
// the core normalises and checks it.
import type { BillingLineForm, SessionForm, VitalsRowForm } from "../../lib/bindings";
import { fullDate, optionalFullDate } from "../record/values";

export type BillingDraft = {
  code: string;
  units: string;
  ndc: string | null;
  modifier: string | null;
};

export type SessionDraft = Omit<SessionForm, "billing"> & { billing: BillingDraft[] };

export function toDraft(form: SessionForm): SessionDraft {
  const copy = plain(form);
  return {
    ...copy,
    // A ketamine session always has a weight to fill in.
    weight:
      copy.weight ?? (copy.ketamine ? { value: "", unit: "kg", kg: null, confirmed: false } : null),
    billing: copy.billing.map(billingDraft),
  };
}

export function billingDraft(line: BillingLineForm): BillingDraft {
  return { code: line.code, units: String(line.units), ndc: line.ndc, modifier: line.modifier };
}

/** Units as the wire's whole number; anything else is sent as 0 for the core to refuse. */
function units(typed: string): number {
  const t = typed.trim();
  return /^\d{1,6}$/.test(t) ? Number(t) : 0;
}

/** The wire shape; dates typed as 3/17/2026 are sent as 2026-03-17 (never padded or guessed). */
export function toForm(d: SessionDraft): SessionForm {
  const copy = plain(d);
  return {
    ...copy,
    date: fullDate(copy.date),
    ketamine: copy.ketamine && { ...copy.ketamine, expiry: expiry(copy.ketamine.expiry) },
    spravato: copy.spravato && { ...copy.spravato, expiry: expiry(copy.spravato.expiry) },
    billing: copy.billing.map((b) => ({ ...b, units: units(b.units) })),
  };
}

function expiry(typed: string | null): string | null {
  return typed === null ? null : optionalFullDate(typed);
}

/** A deep copy as plain data (Svelte state proxies included, which structuredClone refuses). */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function emptyVitalsRow(timepoint: string): VitalsRowForm {
  return {
    timepoint,
    time: null,
    systolic: null,
    diastolic: null,
    heartRate: null,
    spo2: null,
    respiratoryRate: null,
    moaas: null,
  };
}

/** Device times without empty boxes at the end (a box left empty is not a time). */
export function trimTimes(times: string[]): string[] {
  const out = [...times];
  while (out.length > 0 && (out[out.length - 1] ?? "").trim() === "") out.pop();
  return out;
}
