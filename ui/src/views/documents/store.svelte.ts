// The patient's stored documents, read once for the chart and shared by the documents section
// and the trial history (a trial's sources are the documents linked to it). One document dialog
// is open at a time: the viewer, its edit dialog or the removal, wherever it was opened from.
import { commands, type DocumentView, type RecordView } from "../../lib/bindings";
import { isAppLevel } from "../../lib/errors";
import { call } from "../../lib/ipc";
import type { LinkValues } from "./documents";
import { loadTargets, NO_TARGETS, type TargetChoices } from "./targets";

export type DocumentDialog =
  | { kind: "view"; id: number; page: number | null }
  | { kind: "edit"; id: number }
  | { kind: "remove"; id: number }
  /** `links`: links to start with (a trial's "Link source document…" when none is stored). */
  | { kind: "import"; links?: LinkValues[] };

/** One source of a trial: a linked document and the page the evidence is on. */
export type TrialSource = { doc: DocumentView; page: number | null };

export class DocumentStore {
  list = $state<DocumentView[] | null>(null);
  problem = $state<string | null>(null);
  dialog = $state<DocumentDialog | null>(null);
  targets = $state<TargetChoices>(NO_TARGETS);

  readonly patientId: number;

  constructor(patientId: number) {
    this.patientId = patientId;
  }

  async load(): Promise<void> {
    const r = await call(commands.listDocuments(this.patientId));
    if (r.status === "ok") {
      this.list = r.data;
      this.problem = null;
    } else {
      this.problem = isAppLevel(r.error) ? "The documents could not be shown" : r.error.message;
    }
  }

  /** The records a document can be linked to, read again each time a dialog needs them. */
  async loadTargets(records?: readonly RecordView[] | null): Promise<void> {
    this.targets = await loadTargets(this.patientId, records);
  }

  byId(id: number): DocumentView | undefined {
    return this.list?.find((d) => d.id === id);
  }

  /** A document just imported or changed: replaces the old copy or is added first. */
  put(doc: DocumentView): void {
    const list = this.list ?? [];
    this.list = list.some((d) => d.id === doc.id)
      ? list.map((d) => (d.id === doc.id ? doc : d))
      : [doc, ...list];
  }

  drop(id: number): void {
    this.list = (this.list ?? []).filter((d) => d.id !== id);
  }

  /** The documents linked to a trial, one entry per link (a document may cite two pages). */
  sourcesOf(trialId: number): TrialSource[] {
    return (this.list ?? []).flatMap((doc) =>
      doc.links
        .filter((l) => l.target === "trial" && l.targetId === trialId)
        .map((l) => ({ doc, page: l.page })),
    );
  }

  /** How many documents are linked to at least one record (what a packet can append). */
  get linkedCount(): number {
    return (this.list ?? []).filter((d) => d.links.length > 0).length;
  }

  open(dialog: DocumentDialog): void {
    this.dialog = dialog;
  }

  close(): void {
    this.dialog = null;
  }
}
