// Safety alerts in words: the level, what the acknowledging provider did, and how long an alert
// has waited. The core raises alerts with a score and refuses anything but a documented
// acknowledgement by a provider; these are only the labels the screens show.
import type { AckActionName, AlertView } from "../../lib/bindings";

/** What was done about an alert, in the core's order and wording. */
export const ACK_ACTIONS: readonly { value: AckActionName; label: string }[] = [
  { value: "safety_plan", label: "Safety plan made or reviewed" },
  { value: "risk_assessment", label: "Suicide risk assessment done" },
  { value: "referral", label: "Referred" },
  { value: "emergency", label: "Emergency response" },
];

/** The id of each action's radio button (the summary link for "action" goes to the first). */
export function actionId(action: AckActionName): string {
  return `ack-action-${action}`;
}

/**
 * The alert's level in words: "High risk" and "Moderate risk" from the C-SSRS triage, "Safety
 * question answered above 0" for a flag such as PHQ-9 item 9 (the reason names the question).
 */
export function levelLabel(level: string): string {
  switch (level) {
    case "high":
      return "High risk";
    case "moderate":
      return "Moderate risk";
    case "flag":
      return "Safety question answered above 0";
    default:
      return "Safety alert";
  }
}

/** "High risk (C-SSRS)": the level with the scale that raised it. */
export function alertTitle(alert: AlertView): string {
  return `${levelLabel(alert.level)} (${alert.instrumentName})`;
}

/**
 * How long an alert has been waiting, from when it was raised: "under 1 hour", "5 hours",
 * "3 days". Null when the time is not a timestamp.
 */
export function waitingFor(raisedAt: string, now: Date = new Date()): string | null {
  const raised = new Date(raisedAt);
  if (Number.isNaN(raised.getTime())) return null;
  const hours = Math.floor((now.getTime() - raised.getTime()) / 3_600_000);
  if (hours < 1) return "under 1 hour";
  if (hours < 48) return hours === 1 ? "1 hour" : `${hours} hours`;
  return `${Math.floor(hours / 24)} days`;
}
