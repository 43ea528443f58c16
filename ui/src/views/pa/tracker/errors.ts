// Collecting a form's problems: one summary line per problem, linked to its box, and the inline
// message for each box in exactly the same words (several problems on one box are joined).
import type { IpcError } from "../../../lib/bindings";
import { isAppLevel, type SummaryItem } from "../../../lib/errors";

export class Problems {
  summary: SummaryItem[] = [];
  inline: Record<string, string> = {};

  add(key: string | null, message: string, target?: string): void {
    if (key !== null) {
      const before = this.inline[key];
      if (before === undefined) this.inline[key] = message;
      else if (!before.split("; ").includes(message)) this.inline[key] = `${before}; ${message}`;
    }
    this.summary.push(target ? { message, target } : { message });
  }

  get any(): boolean {
    return this.summary.length > 0;
  }
}

/**
 * The core's field errors through `place`, which says which box each field belongs to
 * (`{ key, target }`) or null to show it in the summary only. An error without fields (a
 * conflict, a refusal) becomes one summary line. Errors the app shows itself (locked, internal,
 * forbidden) give no problems here.
 */
export function fromIpc(
  error: IpcError,
  place: (field: string) => { key: string; target?: string } | null,
): Problems {
  const p = new Problems();
  if (isAppLevel(error)) return p;
  for (const { field, message } of error.fields ?? []) {
    const where = place(field);
    p.add(where?.key ?? null, message, where?.target);
  }
  if (!p.any) p.add(null, error.message);
  return p;
}
