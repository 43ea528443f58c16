// Test fixtures for safety alerts, as the core sends them.
import type { AcknowledgementView, AlertView } from "../lib/bindings";

/** An open alert: PHQ-9 item 9 answered above 0 for Dana Rossi. */
export function alertView(overrides: Partial<AlertView> = {}): AlertView {
  return {
    id: 501,
    patientId: 7,
    patientMrn: "KC-000007",
    patientName: "ROSSI, Dana",
    scoreId: 90,
    instrumentName: "PHQ-9",
    administeredAt: "2026-03-02T14:05",
    level: "flag",
    reason:
      "Question 9 (thoughts of being better off dead or of self-harm) was answered above 0: assess suicide risk now with the C-SSRS screener",
    raisedAt: "2026-03-02T14:06:00Z",
    acknowledged: null,
    ...overrides,
  };
}

/** An acknowledgement by a provider. */
export function acknowledgement(overrides: Partial<AcknowledgementView> = {}): AcknowledgementView {
  return {
    at: "2026-03-02T15:10:00Z",
    byName: "Dr Amara Okafor",
    action: "safety_plan",
    actionText: "Safety plan made or reviewed",
    note: "Crisis line numbers given; reviewed with partner",
    sha256: "ab12".padEnd(64, "0"),
    ...overrides,
  };
}

/** A high-risk C-SSRS alert. */
export function highRiskAlert(overrides: Partial<AlertView> = {}): AlertView {
  return alertView({
    id: 502,
    scoreId: 91,
    instrumentName: "C-SSRS",
    level: "high",
    reason:
      "C-SSRS: High risk; C-SSRS triage: high risk (question 6): act on the clinic's suicide-risk protocol now",
    administeredAt: "2026-03-03T09:30",
    raisedAt: "2026-03-03T09:31:00Z",
    ...overrides,
  });
}
