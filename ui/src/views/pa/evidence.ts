// Where each piece of prior-auth evidence lives in the open chart, and the jump to it: the record
// itself when its section gives it an id (screening and evaluation cards, score rows, rows with
// an Edit button), otherwise the heading of the section that lists it.
import type { EvidenceKindName, EvidenceView } from "../../lib/bindings";

type Place = {
  /** Ids of the record's own element, best first; `edit:` ids name a button inside its row. */
  ids: string[];
  /** The section that lists records of this kind. */
  section: string;
  sectionLabel: string;
};

function place(kind: EvidenceKindName, id: number): Place | null {
  switch (kind) {
    case "trial":
      return {
        ids: [`trial-${id}`],
        section: "treatment-history",
        sectionLabel: "Medication trials",
      };
    case "score":
      return { ids: [`score-${id}`], section: "chart-scores", sectionLabel: "Rating scales" };
    case "diagnosis":
      return {
        ids: [`diagnosis-${id}`, `edit:edit-diagnosis-${id}`],
        section: "chart-diagnoses",
        sectionLabel: "Diagnoses and episodes",
      };
    case "episode":
      return {
        ids: [`episode-${id}`, `edit:edit-episode-${id}`],
        section: "chart-diagnoses",
        sectionLabel: "Diagnoses and episodes",
      };
    case "psychotherapy":
      return {
        ids: [`psychotherapy-${id}`, `edit:edit-psychotherapy-${id}`],
        section: "chart-treatments",
        sectionLabel: "Psychotherapy and other treatments",
      };
    case "other_treatment":
      return {
        ids: [`other-treatment-${id}`, `edit:edit-other-treatment-${id}`],
        section: "chart-treatments",
        sectionLabel: "Psychotherapy and other treatments",
      };
    case "screening":
      return {
        ids: [`screening-${id}-title`, `screening-${id}`],
        section: "chart-screenings",
        sectionLabel: "Safety screenings",
      };
    case "evaluation":
      return {
        ids: [`evaluation-${id}-title`, `evaluation-${id}`],
        section: "chart-evaluations",
        sectionLabel: "Evaluations",
      };
    case "patient":
      return {
        ids: ["personal-details"],
        section: "personal-details",
        sectionLabel: "Personal details",
      };
    // Profiles and attestations are not part of the chart page.
    case "provider_profile":
    case "clinic_profile":
    case "attestation":
      return null;
  }
}

/** Whether the evidence points at something on the chart page. */
export function inChart(e: EvidenceView): boolean {
  return place(e.kind, e.id) !== null;
}

/** The section the evidence is listed in, for link text ("in Medication trials"). */
export function sectionOf(e: EvidenceView): string | null {
  return place(e.kind, e.id)?.sectionLabel ?? null;
}

function find(id: string): HTMLElement | null {
  if (id.startsWith("edit:")) {
    const button = document.getElementById(id.slice(5));
    return button?.closest("tr") ?? null;
  }
  return document.getElementById(id);
}

/** The section's heading (it takes focus), or the section itself. */
function sectionTarget(section: string): HTMLElement | null {
  return document.getElementById(`${section}-title`) ?? document.getElementById(section);
}

const MARK = "pa-jump-target";

/**
 * Scrolls the record into view and focuses it; falls back to its section's heading. Returns
 * "record", "section", or null when the chart shows neither.
 */
export function jumpTo(e: EvidenceView): "record" | "section" | null {
  const p = place(e.kind, e.id);
  if (!p) return null;
  let target: HTMLElement | null = null;
  for (const id of p.ids) {
    target = find(id);
    if (target) break;
  }
  const exact = target !== null;
  target ??= sectionTarget(p.section);
  if (!target) return null;
  const el = target;
  // Rows and headings are not focusable by themselves: focus from code only.
  if (!el.hasAttribute("tabindex") && !isFocusable(el)) el.setAttribute("tabindex", "-1");
  el.classList.add(MARK);
  el.addEventListener("blur", () => el.classList.remove(MARK), { once: true });
  el.scrollIntoView?.({ block: "center" });
  el.focus({ preventScroll: true });
  return exact ? "record" : "section";
}

function isFocusable(el: HTMLElement): boolean {
  return /^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(el.tagName);
}
