// Words and small conversions shared by the documents section, its dialogs and the trial
// sources. The core decides what a file is (from its bytes) and checks every field again.
import type { DocumentLinkInput, DocumentLinkView, DocumentView } from "../../lib/bindings";
import { formatBytes } from "../../lib/format/bytes";

export type DocumentKind = DocumentView["kind"];
export type LinkTarget = DocumentLinkInput["target"];

/** The kinds staff choose from, in the order of the issue (labels as the core words them). */
export const KIND_OPTIONS: readonly { value: DocumentKind; label: string }[] = [
  { value: "outside_records", label: "Outside records" },
  { value: "pharmacy_history", label: "Pharmacy fill history" },
  { value: "insurance_card_front", label: "Insurance card (front)" },
  { value: "insurance_card_back", label: "Insurance card (back)" },
  { value: "payer_approval", label: "Payer letter — approval" },
  { value: "payer_denial", label: "Payer letter — denial" },
  { value: "payer_rfi", label: "Payer letter — request for information" },
  { value: "lab_ecg", label: "Lab / ECG" },
  { value: "consent", label: "Consent" },
  { value: "rems_enrollment", label: "REMS patient enrollment" },
  { value: "abn", label: "Advance Beneficiary Notice (ABN)" },
  { value: "other", label: "Other" },
];

/** What a link can point at, in words for the "Linked to" select. */
export const TARGET_OPTIONS: readonly { value: LinkTarget; label: string }[] = [
  { value: "trial", label: "Medication trial" },
  { value: "episode", label: "Episode" },
  { value: "coverage", label: "Coverage" },
  { value: "pa_request", label: "Authorization request" },
  { value: "course", label: "Treatment course" },
];

/** Kinds the app signs itself: the signed original stays (no "Remove"). */
const SIGNED_FORMS = new Set<string>(["consent", "rems_enrollment", "abn"]);

export function isSignedOriginal(doc: Pick<DocumentView, "kind" | "generated">): boolean {
  return doc.generated && SIGNED_FORMS.has(doc.kind);
}

/** "Trial: sertraline, p. 2": the core's label with the page when there is one. */
export function linkText(link: Pick<DocumentLinkView, "label" | "page">): string {
  if (link.page === null || /\bp\. ?\d+$/.test(link.label)) return link.label;
  return `${link.label}, p. ${link.page}`;
}

/** "3 pages, 240 KB", "1 page, 82 KB" or "1,200 × 800 px, 82 KB" for an image. */
export function sizeText(doc: Pick<DocumentView, "mediaType" | "pageCount" | "size">): string {
  const size = formatBytes(doc.size);
  if (doc.pageCount !== null) {
    return `${doc.pageCount} ${doc.pageCount === 1 ? "page" : "pages"}, ${size}`;
  }
  return `${mediaLabel(doc.mediaType)}, ${size}`;
}

export function mediaLabel(mediaType: string): string {
  if (mediaType === "application/pdf") return "PDF";
  if (mediaType === "image/png") return "PNG image";
  if (mediaType === "image/jpeg") return "JPEG image";
  return "File";
}

export function isPdf(mediaType: string): boolean {
  return mediaType === "application/pdf";
}

/** The extension an export of this media type gets. */
export function extensionOf(mediaType: string): string {
  if (mediaType === "image/png") return "png";
  if (mediaType === "image/jpeg") return "jpg";
  return "pdf";
}

/** The details of a document as typed (kind, title, date, source). */
export type DetailValues = { kind: string; title: string; documentDate: string; source: string };

export function detailValues(doc?: DocumentView): DetailValues {
  return {
    kind: doc?.kind ?? "",
    title: doc?.title ?? "",
    documentDate: doc?.documentDate ?? "",
    source: doc?.source ?? "",
  };
}

/** The core's field names for a link's controls: "links.0.targetId" → "…-links-0-record". */
export function linkFieldId(prefix: string, field: string): string {
  const m = /^links\.(\d+)\.(\w+)$/.exec(field);
  if (m) return `${prefix}-links-${m[1]}-${m[2] === "page" ? "page" : "record"}`;
  if (field === "links") return `${prefix}-add-link`;
  return `${prefix}-${field.replaceAll(".", "-")}`;
}

/** A link being edited: the record as "trial:11" (one select), the page as typed. */
export type LinkValues = { record: string; page: string };

export function linkValues(links: readonly DocumentLinkView[]): LinkValues[] {
  return links.map((l) => ({
    record: `${l.target}:${l.targetId}`,
    page: l.page === null ? "" : String(l.page),
  }));
}

/**
 * Links as the core takes them. A page that is not a whole number goes as 0, and an unchosen
 * record as id 0, so the core says what is wrong with the field it belongs to.
 */
export function toLinkInputs(rows: readonly LinkValues[]): DocumentLinkInput[] {
  return rows.map((r) => {
    const [target, id] = r.record.split(":");
    return {
      target: (target || "trial") as LinkTarget,
      targetId: Number(id) || 0,
      page: pageNumber(r.page),
    };
  });
}

function pageNumber(typed: string): number | null {
  const t = typed.trim().replace(/^p(age|\.)?\s*/i, "");
  if (t === "") return null;
  return /^\d+$/.test(t) ? Number(t) : 0;
}

/** Links as the core took them, for replacing one document's links while keeping the others. */
export function inputsOf(links: readonly DocumentLinkView[]): DocumentLinkInput[] {
  return links.map((l) => ({ target: l.target, targetId: l.targetId, page: l.page }));
}
