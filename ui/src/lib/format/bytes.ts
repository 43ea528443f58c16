/** A file size in words and figures: "820 bytes", "14 KB", "3.4 MB", "1.2 GB" (1 KB = 1,000 bytes). */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes) || bytes < 0) return "Not known";
  if (bytes < 1000) return `${bytes} ${bytes === 1 ? "byte" : "bytes"}`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const shown = value >= 100 || unit === 0 ? Math.round(value).toString() : value.toFixed(1);
  return `${shown.replace(/\.0$/, "")} ${units[unit]}`;
}
