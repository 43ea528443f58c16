// Test fixtures for the consent and ABN screens, as the core sends them (design8.md shapes), and
// a stand-in for npm signature_pad (jsdom has no canvas): `drawOn` fakes a signature.
import { flushSync } from "svelte";
import type {
  AbnNeedView,
  AbnView,
  ConsentDraftView,
  ConsentTemplateView,
  ConsentView,
  MissingConsentView,
} from "../../lib/bindings";

export function template(overrides: Partial<ConsentTemplateView> = {}): ConsentTemplateView {
  return {
    key: "spravato",
    title: "Spravato (esketamine) treatment consent",
    body: "I, {{patient.name}}, agree to treatment with esketamine nasal spray.",
    version: 1,
    reviewNote: "Sample text: the clinic must review with its counsel before use",
    createdBy: "system",
    createdAt: "2026-03-01T09:00:00Z",
    placeholders: [
      "{{patient.name}}",
      "{{patient.dob}}",
      "{{clinic.name}}",
      "{{date}}",
      "{{provider.name}}",
    ],
    ...overrides,
  };
}

export function draft(overrides: Partial<ConsentDraftView> = {}): ConsentDraftView {
  return {
    templateKey: "spravato",
    templateVersion: 2,
    title: "Spravato (esketamine) treatment consent",
    text: "I, Dana Rossi, agree to treatment with esketamine nasal spray.\n\n<b>Risks</b> include dissociation.",
    reviewNote: null,
    ...overrides,
  };
}

export function consent(overrides: Partial<ConsentView> = {}): ConsentView {
  return {
    id: 31,
    patientId: 7,
    templateKey: "spravato",
    templateVersion: 2,
    title: "Spravato (esketamine) treatment consent",
    signedOn: "2026-03-02",
    signedOnDisplay: "02-Mar-2026",
    signedAt: "2026-03-02T14:05:00Z",
    patientSignerName: "Dana Rossi",
    witnessName: "Jo Reyes",
    documentId: 90,
    ...overrides,
  };
}

export function missing(overrides: Partial<MissingConsentView> = {}): MissingConsentView {
  return {
    courseId: 12,
    courseTitle: "Spravato course",
    templateKey: "spravato",
    title: "Spravato (esketamine) treatment consent",
    ...overrides,
  };
}

export function abnNeed(overrides: Partial<AbnNeedView> = {}): AbnNeedView {
  return {
    needed: true,
    reason: "Medicare does not usually pay for IV ketamine for depression",
    service: "IV ketamine infusion",
    ruleSetTitle: "Medicare (Jurisdiction K) IV ketamine",
    ...overrides,
  };
}

export function abn(overrides: Partial<AbnView> = {}): AbnView {
  return {
    id: 41,
    patientId: 7,
    courseId: 12,
    service: "IV ketamine infusion",
    reason: "Medicare does not usually pay for IV ketamine for depression",
    estimatedCost: "$450.00",
    option: 2,
    additionalInfo: null,
    signedOn: "2026-03-01",
    signedOnDisplay: "01-Mar-2026",
    signedAt: "2026-03-01T10:00:00Z",
    warnings: [],
    patientSignerName: "Dana Rossi",
    witnessName: "Jo Reyes",
    documentId: 91,
    ...overrides,
  };
}

type Listener = () => void;
const pads = new Set<FakePad>();

/** Stands in for signature_pad's default export. */
export class FakePad {
  canvas: HTMLCanvasElement;
  data: { points: { x: number; y: number }[] }[] = [];
  listeners: Listener[] = [];
  constructor(canvas: HTMLCanvasElement) {
    this.canvas = canvas;
    pads.add(this);
  }
  clear() {
    this.data = [];
  }
  toData() {
    return this.data;
  }
  fromData(d: { points: { x: number; y: number }[] }[]) {
    this.data = d;
  }
  addEventListener(_type: string, fn: Listener) {
    this.listeners.push(fn);
  }
  off() {
    pads.delete(this);
  }
}

/** Draws a stroke on the pad whose canvas has this id, as a user would. */
export function drawOn(id: string): void {
  for (const pad of pads) {
    if (pad.canvas.id === id) {
      pad.data = [
        {
          points: [
            { x: 10, y: 20 },
            { x: 60.04, y: 40 },
            { x: 120, y: 25 },
          ],
        },
      ];
      flushSync(() => pad.listeners.forEach((fn) => fn()));
      return;
    }
  }
  throw new Error(`no pad #${id}`);
}
