// Views whose code is loaded when first opened (dynamic import), so the first paint (unlock,
// patient list, today) does not wait for them: the patient chart (with its sessions, documents,
// consents and prior-authorization sections), the prior-authorization queue and the settings
// pages. Each loader returns the same promise every time, so a view loads once per window.
type Loader<T> = () => Promise<{ default: T }>;

function once<T>(load: () => Promise<{ default: T }>): Loader<T> {
  let pending: Promise<{ default: T }> | null = null;
  return () => {
    pending ??= load().catch((e: unknown) => {
      // A failed load may succeed on the next try (the files are local; this is rare).
      pending = null;
      throw e;
    });
    return pending;
  };
}

export const loadPatientRecord = once(() => import("../views/PatientRecordView.svelte"));
export const loadWorkQueue = once(() => import("../views/pa/queue/WorkQueueView.svelte"));
export const loadPayers = once(() => import("../views/PayersView.svelte"));
export const loadFeeSchedule = once(() => import("../views/pa/fees/FeeScheduleView.svelte"));
export const loadDrugFloors = once(() => import("../views/DrugFloorsView.svelte"));
export const loadTreatmentSettings = once(
  () => import("../views/treatment-settings/TreatmentSettingsView.svelte"),
);
export const loadUsers = once(() => import("../views/UsersView.svelte"));
export const loadAuditLog = once(() => import("../views/AuditLogView.svelte"));
export const loadBackups = once(() => import("../views/BackupsView.svelte"));
export const loadSettings = once(() => import("../views/SettingsView.svelte"));

/** Starts loading the chart's code in the background once the window is up. */
export function prefetchChart(): void {
  void loadPatientRecord().catch(() => {});
}
