// Turning an IpcError into what a form shows: one error summary plus an inline message per field.
import type { IpcError } from "./bindings";

/** One line of the error summary; `target` is the id of the control its link focuses. */
export type SummaryItem = { message: string; target?: string };

export type FormErrors = {
  summary: SummaryItem[];
  /** Inline messages keyed by the core's field name (e.g. "birthDate.month"). */
  byField: Record<string, string>;
};

export const NO_ERRORS: FormErrors = { summary: [], byField: {} };

/** The element id for a core field name: "birthDate.month" → "birthDate-month". */
export function fieldId(field: string): string {
  return field.replaceAll(".", "-");
}

/**
 * Builds the summary and inline messages from an error. `idFor` maps a field to the control that
 * the summary link should focus (forms whose ids differ from the field names pass a map).
 */
export function formErrors(
  error: IpcError,
  idFor: (field: string) => string | undefined = fieldId,
): FormErrors {
  const byField: Record<string, string> = {};
  const summary: SummaryItem[] = [];
  for (const { field, message } of error.fields ?? []) {
    if (field in byField) continue;
    byField[field] = message;
    summary.push({ message, target: idFor(field) });
  }
  if (summary.length === 0) summary.push({ message: error.message });
  return { summary, byField };
}

/** Maps field names to ids with a fixed table, for forms whose ids are not the field names. */
export function idMap(map: Record<string, string>): (field: string) => string | undefined {
  return (field) => map[field];
}

/** Errors the app handles in one place (lock screen, error banner), not inside a form. */
export function isAppLevel(error: IpcError): boolean {
  return error.code === "Locked" || error.code === "Internal" || error.code === "Forbidden";
}

/** The error for a form: app-level errors are shown elsewhere, so the form shows none. */
export function errorsFor(
  error: IpcError,
  idFor?: (field: string) => string | undefined,
): FormErrors {
  return isAppLevel(error) ? NO_ERRORS : formErrors(error, idFor);
}

/** A form's field names mapped to ids with a shared prefix: "passphrase" → "user-passphrase". */
export function prefixed(prefix: string): (field: string) => string {
  return (field) => `${prefix}-${fieldId(field)}`;
}
