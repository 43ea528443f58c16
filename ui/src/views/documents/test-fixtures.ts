// Test fixtures for the document store: documents as the core sends them.
import type { DocumentView } from "../../lib/bindings";

export function documentView(overrides: Partial<DocumentView> = {}): DocumentView {
  return {
    id: 31,
    patientId: 7,
    kind: "pharmacy_history",
    kindLabel: "Pharmacy fill history",
    title: "CVS 2024",
    documentDate: "2025-03-12",
    documentDateDisplay: "12-Mar-2025",
    source: "CVS Pharmacy",
    mediaType: "application/pdf",
    size: 240_000,
    pageCount: 3,
    width: null,
    height: null,
    sha256: "ab".repeat(32),
    fileName: "cvs-fills.pdf",
    importedByName: "Jo Reyes",
    importedAt: "2026-04-06T14:05:00Z",
    generated: false,
    links: [],
    ...overrides,
  } as DocumentView;
}

/** A one-pixel PNG, as base64. */
export const PNG_1PX =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
