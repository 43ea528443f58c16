// The patient's clinical records around the trials, read once for the whole chart and kept up to
// date as forms save. The core returns only the kinds the user may read (coverage for everyone,
// the clinical kinds for provider, nurse and billing).
import {
  commands,
  type RecordContent,
  type RecordKindName,
  type RecordView,
} from "../../lib/bindings";
import { isAppLevel } from "../../lib/errors";
import { call } from "../../lib/ipc";

/** A record whose content is known to be of one kind. */
export type RecordOf<K extends RecordKindName> = Omit<RecordView, "content"> & {
  content: Extract<RecordContent, { kind: K }>;
};

export function isKind<K extends RecordKindName>(r: RecordView, kind: K): r is RecordOf<K> {
  return r.content.kind === kind;
}

export class RecordStore {
  records = $state<RecordView[] | null>(null);
  problem = $state<string | null>(null);
  /** Counts saves, so views that depend on the records (the timeline) know to read again. */
  changes = $state(0);

  readonly patientId: number;

  constructor(patientId: number) {
    this.patientId = patientId;
  }

  async load(): Promise<void> {
    const r = await call(commands.listRecords(this.patientId, null));
    if (r.status === "ok") {
      this.records = r.data;
      this.problem = null;
    } else {
      this.problem = isAppLevel(r.error) ? "The chart records could not be shown" : r.error.message;
    }
  }

  /** The records of one kind, in the core's order (by date, then as entered). */
  of<K extends RecordKindName>(kind: K): RecordOf<K>[] | null {
    if (this.records === null) return null;
    return this.records.filter((r): r is RecordOf<K> => isKind(r, kind));
  }

  /** A record just saved, signed or given an addendum: replaces the old copy or is added. */
  put(view: RecordView): void {
    const list = this.records ?? [];
    const at = list.findIndex((r) => r.id === view.id);
    this.records = at >= 0 ? list.map((r) => (r.id === view.id ? view : r)) : [...list, view];
    this.changes += 1;
  }
}
