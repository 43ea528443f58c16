// Fees as the clinic reads them: "$350.00", "$1,250.00". The core stores and checks the amount.
import type { FeeView } from "../../../lib/bindings";

/** "350.00" → "$350.00", "1250.5" → "$1,250.50"; text that is not an amount is shown as given. */
export function money(amount: string): string {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (!m) return amount;
  const whole = Number(m[1]).toLocaleString("en-US");
  const cents = (m[2] ?? "").padEnd(2, "0");
  return `$${whole}.${cents}`;
}

/** The amount as typed, without a dollar sign, commas or spaces ("$1,250" → "1250"). */
export function amountAsTyped(text: string): string {
  return text.replace(/[$,\s]/g, "");
}

/** By code, as payers list them. */
export function byCode(fees: readonly FeeView[]): FeeView[] {
  return [...fees].sort((a, b) => a.code.localeCompare(b.code));
}
