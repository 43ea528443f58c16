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

/** "ketachart-audit-2026-11-21-140305.csv", in local time. */
export function auditExportName(now: Date = new Date()): string {
  return `ketachart-audit-${fileStamp(now)}.csv`;
}

/** Joins a folder and a file name with the folder's own separator. */
export function joinPath(folder: string, name: string): string {
  const sep = folder.includes("\\") && !folder.includes("/") ? "\\" : "/";
  return /[\\/]$/.test(folder) ? `${folder}${name}` : `${folder}${sep}${name}`;
}
