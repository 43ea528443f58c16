// The payer types, in the order the form offers them, with the words the core uses for each.
import type { PayerForm, PayerType, PayerView } from "../../lib/bindings";

export const PAYER_TYPES: readonly { value: PayerType; label: string }[] = [
  { value: "commercial", label: "Commercial" },
  { value: "medicare", label: "Medicare" },
  { value: "medicare_advantage", label: "Medicare Advantage" },
  { value: "medicaid_ffs", label: "Medicaid / CHIP fee-for-service" },
  { value: "medicaid_managed", label: "Medicaid / CHIP managed care" },
  { value: "exchange", label: "Exchange plan" },
  { value: "other", label: "Other" },
];

/** What the payer form holds while it is being edited. */
export type PayerValues = {
  name: string;
  payerType: PayerType | null;
  paPhone: string;
  paFax: string;
  active: boolean;
};

export function emptyPayerValues(): PayerValues {
  return { name: "", payerType: null, paPhone: "", paFax: "", active: true };
}

export function valuesFromPayer(p: PayerView): PayerValues {
  return {
    name: p.name,
    payerType: p.payerType,
    paPhone: p.paPhone ?? "",
    paFax: p.paFax ?? "",
    active: p.active,
  };
}

/** The form as the core takes it: a blank phone or fax number is "not recorded". */
export function toPayerForm(v: PayerValues): PayerForm {
  return {
    name: v.name,
    payerType: v.payerType,
    paPhone: v.paPhone.trim() === "" ? null : v.paPhone,
    paFax: v.paFax.trim() === "" ? null : v.paFax,
    active: v.active,
  };
}

/** The payer list as the core orders it: by name, ignoring case. */
export function byName(payers: readonly PayerView[]): PayerView[] {
  return [...payers].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
}
