// The laptop clock, for "Now" buttons and the monitoring timer's display. Nothing here decides a
// rule: the core says when monitoring started and when discharge is allowed.

function two(n: number): string {
  return String(n).padStart(2, "0");
}

/** The time now on the 24-hour clock, to the minute: "14:05". */
export function nowHhmm(now: Date = new Date()): string {
  return `${two(now.getHours())}:${two(now.getMinutes())}`;
}

/** Seconds from today's HH:MM to `now`; null when the text is not a time. */
export function secondsSince(hhmm: string, now: Date): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!m) return null;
  const start = new Date(now);
  start.setHours(Number(m[1]), Number(m[2]), 0, 0);
  return Math.floor((now.getTime() - start.getTime()) / 1000);
}

/** "1:12:05" on screen. */
export function clockText(seconds: number): string {
  const s = Math.max(0, seconds);
  return `${Math.floor(s / 3600)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

/** "1 hour 12 minutes" for screen readers. */
export function durationWords(seconds: number): string {
  const minutes = Math.floor(Math.max(0, seconds) / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const hours = h === 0 ? "" : `${h} ${h === 1 ? "hour" : "hours"} `;
  return `${hours}${m} ${m === 1 ? "minute" : "minutes"}`;
}
