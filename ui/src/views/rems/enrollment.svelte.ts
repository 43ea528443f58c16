// The patient's SPRAVATO REMS enrollment in words, and a counter of saves on the chart so the
// session flowsheet reads the status again after the enrollment panel records it.
import type { RemsEnrollmentView } from "../../lib/bindings";
import { formatDate } from "../../lib/format/date";

/** Bumped by the enrollment panel after each save. */
export const enrollmentSaves = $state({ count: 0 });

/** "Enrolled on 08-Nov-2026", "Not enrolled", "Enrollment form completed, not yet enrolled". */
export function enrollmentText(
  view: Pick<RemsEnrollmentView, "status" | "statusLabel" | "enrolledOn">,
): string {
  if (view.status === "enrolled" && view.enrolledOn) {
    return `Enrolled on ${formatDate(view.enrolledOn)}`;
  }
  return view.statusLabel;
}

/** Where the chart's enrollment panel is; the flowsheet's link scrolls and focuses there. */
export const ENROLLMENT_SECTION = "rems-enrollment";

/** Brings the chart's enrollment panel into view and focuses its heading. */
export function goToEnrollment(): boolean {
  const heading = document.getElementById(`${ENROLLMENT_SECTION}-title`);
  if (!heading) return false;
  heading.scrollIntoView?.({ block: "start" });
  heading.focus({ preventScroll: true });
  return true;
}
