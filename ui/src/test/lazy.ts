// The views the shell loads on demand (screens/lazy-views.ts). Tests that go through the shell
// load them first, as the app starts fetching the chart when the window opens, so a test's waits
// cover rendering rather than compiling the chart's code on first use.
import {
  loadAuditLog,
  loadBackups,
  loadDrugFloors,
  loadFeeSchedule,
  loadPatientRecord,
  loadPayers,
  loadSettings,
  loadTreatmentSettings,
  loadUsers,
  loadWorkQueue,
} from "../screens/lazy-views";

export async function preloadLazyViews(): Promise<void> {
  await Promise.all(
    [
      loadPatientRecord,
      loadWorkQueue,
      loadPayers,
      loadFeeSchedule,
      loadDrugFloors,
      loadTreatmentSettings,
      loadUsers,
      loadAuditLog,
      loadBackups,
      loadSettings,
    ].map((load) => load()),
  );
}
