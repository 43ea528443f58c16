// Words and file names for the Spravato REMS paperwork. The core decides which forms are due and
// how many days are left; this only says it in words.
import { save } from "@tauri-apps/plugin-dialog";
import { plural } from "../../lib/format/count";
import { fileStamp } from "../../lib/format/date";

export type ExportKind = "rems" | "summary";

type KindText = {
  /** The button's label. */
  label: string;
  /** The button's id (standalone; in a table row the session id is added). */
  buttonId: string;
  /** What was saved, at the start of a sentence. */
  saved: string;
  /** The heading of the failure panel. */
  failed: string;
  /** File names start with this; they carry no patient details. */
  fileStem: string;
};

export const EXPORT_KINDS: Record<ExportKind, KindText> = {
  rems: {
    label: "Export REMS form",
    buttonId: "export-rems-form",
    saved: "REMS form",
    failed: "The REMS form was not saved",
    fileStem: "ketachart-rems-form",
  },
  summary: {
    label: "Export session summary",
    buttonId: "export-session-summary",
    saved: "Session summary",
    failed: "The session summary was not saved",
    fileStem: "ketachart-session-summary",
  },
};

/** "3 days left", "1 day left", "Due today", "1 day overdue", "2 days overdue". */
export function daysLeftText(daysLeft: number): string {
  if (daysLeft === 0) return "Due today";
  if (daysLeft > 0) return `${plural(daysLeft, "day")} left`;
  return `${plural(-daysLeft, "day")} overdue`;
}

/** Today's date in local time as YYYY-MM-DD: the default submission date. */
export function todayIso(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * "ketachart-rems-form-2026-11-21-140305.pdf", in local time. No patient details: file names show
 * in folder listings and on shared disks.
 */
export function exportFileName(kind: ExportKind, now: Date = new Date()): string {
  return `${EXPORT_KINDS[kind].fileStem}-${fileStamp(now)}.pdf`;
}

/** Where to save the PDF (native save dialog); resolves null when the person cancels. */
export async function choosePdfPath(kind: ExportKind, defaultName: string): Promise<string | null> {
  return save({
    title: EXPORT_KINDS[kind].label,
    defaultPath: defaultName,
    filters: [{ name: "PDF document", extensions: ["pdf"] }],
  });
}
