// What every chart form does on save: create or update through the core, then show what came
// back: field errors as one summary plus inline messages, a stale edit as a conflict.
import { commands, type RecordContent, type RecordView } from "../../lib/bindings";
import { formErrors, isAppLevel, NO_ERRORS, prefixed, type FormErrors } from "../../lib/errors";
import { call } from "../../lib/ipc";

export class RecordFormState {
  errors = $state<FormErrors>(NO_ERRORS);
  conflict = $state<string | null>(null);
  busy = $state(false);

  readonly prefix: string;
  readonly idFor: (field: string) => string | undefined;
  /** Renames the core's field names before they are shown (rows that were not sent). */
  rename: (field: string) => string = (field) => field;

  /** `prefix` names the form's controls (`coverage-memberId`); `idFor` overrides the mapping. */
  constructor(prefix: string, idFor?: (field: string) => string | undefined) {
    this.prefix = prefix;
    this.idFor = idFor ?? prefixed(prefix);
  }

  get byField(): Record<string, string> {
    return this.errors.byField;
  }

  /** Saves; the stored record on success, null otherwise (errors are then on show). */
  async save(
    patientId: number,
    record: RecordView | undefined,
    content: RecordContent,
  ): Promise<RecordView | null> {
    if (this.busy) return null;
    this.busy = true;
    const r = await call(
      record
        ? commands.updateRecord(record.id, record.version, content)
        : commands.createRecord(patientId, content),
    );
    this.busy = false;
    if (r.status === "ok") {
      this.errors = NO_ERRORS;
      this.conflict = null;
      return r.data;
    }
    if (r.error.code === "Conflict") {
      this.errors = NO_ERRORS;
      this.conflict = r.error.message;
    } else if (!isAppLevel(r.error)) {
      this.conflict = null;
      const fields = r.error.fields?.map((f) => ({ ...f, field: this.rename(f.field) }));
      this.errors = formErrors({ ...r.error, fields }, this.idFor);
    }
    return null;
  }
}
