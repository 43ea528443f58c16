// Opens a signed consent or ABN in the documents area's viewer (the chart's document store
// renders it). False when the viewer is not available here: the caller shows its own.
import type { DocumentStore } from "../documents/store.svelte";

export async function openInViewer(
  documents: DocumentStore | undefined,
  documentId: number,
): Promise<boolean> {
  if (!documents) return false;
  // A consent signed a moment ago is not in the list yet.
  if (!documents.byId(documentId)) await documents.load();
  if (!documents.byId(documentId)) return false;
  documents.dialog = { kind: "view", id: documentId, page: null };
  return true;
}
