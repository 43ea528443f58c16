// Native file and folder choosers (Tauri dialog plugin: paths only, no file access from the
// webview) and the names of files KetaChart writes.
import { open, save } from "@tauri-apps/plugin-dialog";
import { fileStamp } from "./format/date";

export const CHOOSER_PROBLEM =
  "The file chooser could not open. Type the full path in the box instead";

/** A KetaChart backup file; resolves null when the person cancels. */
export async function chooseBackupFile(): Promise<string | null> {
  const picked = await open({
    title: "Choose a KetaChart backup",
    multiple: false,
    directory: false,
    filters: [
      { name: "KetaChart backup", extensions: ["kcbackup"] },
      { name: "All files", extensions: ["*"] },
    ],
  });
  return typeof picked === "string" ? picked : null;
}

/** A PDF or image to import into the document store; resolves null when the person cancels. */
export async function chooseDocumentFile(): Promise<string | null> {
  const picked = await open({
    title: "Choose a document to import",
    multiple: false,
    directory: false,
    filters: [
      { name: "PDF or image", extensions: ["pdf", "png", "jpg", "jpeg"] },
      { name: "PDF document", extensions: ["pdf"] },
      { name: "Image (PNG or JPEG)", extensions: ["png", "jpg", "jpeg"] },
    ],
  });
  return typeof picked === "string" ? picked : null;
}

/** Where to save a stored document; resolves null when the person cancels. */
export async function chooseDocumentExportPath(
  defaultName: string,
  extension: string,
): Promise<string | null> {
  return save({
    title: "Export document",
    defaultPath: defaultName,
    filters: [
      extension === "pdf"
        ? { name: "PDF document", extensions: ["pdf"] }
        : { name: "Image", extensions: [extension] },
    ],
  });
}

/** "ketachart-document-2026-11-21-140305.pdf": no patient details or document title. */
export function documentExportName(extension: string, now: Date = new Date()): string {
  return `ketachart-document-${fileStamp(now)}.${extension}`;
}

/** A folder; resolves null when the person cancels. */
export async function chooseFolder(defaultPath?: string): Promise<string | null> {
  const picked = await open({
    title: "Choose a folder",
    directory: true,
    multiple: false,
    defaultPath: defaultPath?.trim() ? defaultPath : undefined,
  });
  return typeof picked === "string" ? picked : null;
}

/** Where to save a CSV file; resolves null when the person cancels. */
export async function chooseCsvPath(defaultName: string): Promise<string | null> {
  return save({
    title: "Export as CSV",
    defaultPath: defaultName,
    filters: [{ name: "CSV file", extensions: ["csv"] }],
  });
}

/**
 * Where to save a patient summary PDF; resolves null when the person cancels. The dialog's title
 * names the patient so the right record is matched to the file being saved.
 */
export async function chooseSummaryPdfPath(
  defaultName: string,
  patientName?: string,
): Promise<string | null> {
  return save({
    title: patientName ? `Export summary PDF for ${patientName}` : "Export summary PDF",
    defaultPath: defaultName,
    filters: [{ name: "PDF document", extensions: ["pdf"] }],
  });
}

/**
 * "ketachart-summary-2026-11-21-140305.pdf", in local time. No patient details: file names show
 * in folder listings and on shared disks.
 */
export function summaryExportName(now: Date = new Date()): string {
  return `ketachart-summary-${fileStamp(now)}.pdf`;
}

/** "ketachart-audit-2026-11-21-140305.csv", in local time. */
export function auditExportName(now: Date = new Date()): string {
  return `ketachart-audit-${fileStamp(now)}.csv`;
}

/** Joins a folder and a file name with the folder's own separator. */
export function joinPath(folder: string, name: string): string {
  const sep = folder.includes("\\") && !folder.includes("/") ? "\\" : "/";
  return /[\\/]$/.test(folder) ? `${folder}${name}` : `${folder}${sep}${name}`;
}
