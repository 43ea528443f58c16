// Patient self-entry ("Hand to patient"): while a kiosk view is set, the app shows only the
// kiosk screen. The chart starts it, the top level (App) switches screens on it, and a staff
// unlock, any lock or the kiosk's idle time ends it. Nothing about the patient is kept here
// except the chart to reopen for staff afterwards, which is never shown on the kiosk.
import { commands, type KioskView } from "./bindings";
import { toResult } from "./ipc";

class KioskState {
  /** The questionnaires still to answer and the progress, or null when no kiosk is running. */
  view = $state<KioskView | null>(null);
  /** Whose chart to reopen when staff take the laptop back; unknown after a reload. */
  patientId: number | null = null;
  /** Bumped on every start and end, so an older status answer never undoes them. */
  private epoch = 0;

  /** Self-entry started from a patient's chart. */
  start(view: KioskView, patientId: number | null = null): void {
    this.epoch += 1;
    this.view = view;
    this.patientId = patientId;
  }

  /** A questionnaire was answered: the core's updated progress. */
  update(view: KioskView): void {
    this.view = view;
  }

  /** A staff unlock, a lock or the idle time ended self-entry. */
  end(): void {
    this.epoch += 1;
    this.view = null;
    this.patientId = null;
  }

  /**
   * Asks the core whether self-entry is in progress (start-up, reload). A failed answer changes
   * nothing: the core refuses every other command while a kiosk runs anyway.
   */
  async check(): Promise<void> {
    const epoch = this.epoch;
    const r = await toResult(commands.kioskStatus());
    if (r.status !== "ok" || epoch !== this.epoch) return;
    if (r.data) {
      this.view = r.data;
    } else if (this.view) {
      this.view = null;
      this.patientId = null;
    }
  }
}

export const kiosk = new KioskState();
