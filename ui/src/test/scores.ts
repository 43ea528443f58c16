// Test fixtures for rating scales: instruments as the core lists them (from its reference),
// scores and trends as it returns them.
import type {
  ChangeView,
  InstrumentItemView,
  InstrumentView,
  ScoreView,
  TrendView,
} from "../lib/bindings";

const FREQUENCY = [
  { value: 0, label: "Not at all" },
  { value: 1, label: "Several days" },
  { value: 2, label: "More than half the days" },
  { value: 3, label: "Nearly every day" },
];

const YES_NO = [
  { value: 0, label: "No" },
  { value: 1, label: "Yes" },
];

function item(overrides: Partial<InstrumentItemView> & { id: string }): InstrumentItemView {
  return {
    label: `Item ${overrides.id}`,
    options: FREQUENCY,
    scored: true,
    required: true,
    askedIfItem: null,
    askedIfEquals: null,
    verified: true,
    ...overrides,
  };
}

const PHQ9_LABELS = [
  "Little interest or pleasure in doing things",
  "Feeling down, depressed, or hopeless",
  "Trouble falling or staying asleep, or sleeping too much",
  "Feeling tired or having little energy",
  "Poor appetite or overeating",
  "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
  "Trouble concentrating on things, such as reading the newspaper or watching television",
  "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual",
  "Thoughts that you would be better off dead or of hurting yourself in some way",
];

export const PHQ9_BANDS = [
  { label: "None–minimal", min: 0, max: 4 },
  { label: "Mild", min: 5, max: 9 },
  { label: "Moderate", min: 10, max: 14 },
  { label: "Moderately severe", min: 15, max: 19 },
  { label: "Severe", min: 20, max: 27 },
];

export const phq9: InstrumentView = {
  id: "phq9",
  name: "Patient Health Questionnaire-9",
  shortName: "PHQ-9",
  entry: "items",
  rater: "self",
  recallPeriod: "Past 2 weeks",
  stem: "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
  items: [
    ...PHQ9_LABELS.map((label, i) => item({ id: String(i + 1), label })),
    item({
      id: "10",
      label:
        "If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?",
      options: [
        { value: 0, label: "Not difficult at all" },
        { value: 1, label: "Somewhat difficult" },
        { value: 2, label: "Very difficult" },
        { value: 3, label: "Extremely difficult" },
      ],
      scored: false,
      required: false,
      verified: false,
    }),
  ],
  totalMin: 0,
  totalMax: 27,
  bands: PHQ9_BANDS,
  changeRule:
    "Response: 50 % or more below baseline; partial response: 25 % or more; remission: below 5",
  licenceNote:
    "Copyright Pfizer Inc.; no permission required to reproduce, translate, display or distribute. Keep the attribution.",
  verified: false,
  needsTimepoint: false,
};

/** QIDS-SR16: the highest answer counts in some domains, so its total is not a plain sum. */
export const qids: InstrumentView = {
  id: "qids_sr16",
  name: "Quick Inventory of Depressive Symptomatology, Self-Report (16 items)",
  shortName: "QIDS-SR16",
  entry: "items",
  rater: "self",
  recallPeriod: "Past 7 days",
  stem: null,
  items: Array.from({ length: 16 }, (_, i) =>
    item({
      id: String(i + 1),
      options: [0, 1, 2, 3].map((v) => ({ value: v, label: String(v) })),
      verified: false,
    }),
  ),
  totalMin: 0,
  totalMax: 27,
  bands: [],
  changeRule: null,
  licenceNote: "Confirm with ids-qids.org before showing item text.",
  verified: false,
  needsTimepoint: false,
};

export const cssrs: InstrumentView = {
  id: "cssrs_screener",
  name: "Columbia-Suicide Severity Rating Scale, Screener",
  shortName: "C-SSRS screener",
  entry: "items",
  rater: "clinician_or_self",
  recallPeriod: "Past month",
  stem: null,
  items: [
    item({ id: "1", label: "Wish to be dead", options: YES_NO, scored: false, verified: false }),
    item({ id: "2", label: "Suicidal thoughts", options: YES_NO, scored: false, verified: false }),
    ...[
      ["3", "Suicidal thoughts with a method"],
      ["4", "Suicidal intent"],
      ["5", "Suicidal intent with a plan"],
    ].map(([id, label]) =>
      item({
        id: id as string,
        label: label as string,
        options: YES_NO,
        scored: false,
        askedIfItem: "2",
        askedIfEquals: 1,
        verified: false,
      }),
    ),
    item({
      id: "6",
      label: "Suicidal behavior (lifetime)",
      options: YES_NO,
      scored: false,
      verified: false,
    }),
    item({
      id: "6a",
      label: "Suicidal behavior, past 3 months",
      options: YES_NO,
      scored: false,
      askedIfItem: "6",
      askedIfEquals: 1,
      verified: false,
    }),
  ],
  totalMin: null,
  totalMax: null,
  bands: [],
  changeRule: null,
  licenceNote:
    "Columbia University (Lighthouse Project); request permission before embedding the questions.",
  verified: false,
  needsTimepoint: false,
};

export const madrs: InstrumentView = {
  id: "madrs",
  name: "Montgomery–Åsberg Depression Rating Scale",
  shortName: "MADRS",
  entry: "total",
  rater: "clinician",
  recallPeriod: null,
  stem: null,
  items: Array.from({ length: 10 }, (_, i) =>
    item({
      id: String(i + 1),
      options: [0, 1, 2, 3, 4, 5, 6].map((v) => ({ value: v, label: String(v) })),
      verified: false,
    }),
  ),
  totalMin: 0,
  totalMax: 60,
  bands: [
    { label: "Normal", min: 0, max: 6 },
    { label: "Mild", min: 7, max: 19 },
    { label: "Moderate", min: 20, max: 34 },
    { label: "Severe", min: 35, max: 60 },
  ],
  changeRule:
    "Response: 50 % or more below baseline; partial response: 25 % or more; remission: 10 or less",
  licenceNote: "Copyrighted; do not embed anchors until a licence is confirmed.",
  verified: false,
  needsTimepoint: false,
};

export const cadss: InstrumentView = {
  id: "cadss",
  name: "Clinician-Administered Dissociative States Scale",
  shortName: "CADSS",
  entry: "total",
  rater: "clinician",
  recallPeriod: null,
  stem: null,
  items: [],
  totalMin: 0,
  totalMax: 92,
  bands: [],
  changeRule: null,
  licenceNote: "Developed by Bremner et al.; permission status not found. Store totals only.",
  verified: false,
  needsTimepoint: true,
};

export const INSTRUMENTS = [phq9, qids, cssrs, madrs, cadss];

export function scoreView(overrides: Partial<ScoreView> = {}): ScoreView {
  return {
    id: 1,
    patientId: 7,
    instrument: "phq9",
    instrumentName: "PHQ-9",
    administeredAt: "2026-03-02T09:30",
    mode: "self_report",
    rater: null,
    timepoint: null,
    answers: {},
    total: 20,
    totalEntered: false,
    band: "Severe",
    flags: [],
    triage: null,
    unchecked: [],
    verified: true,
    enteredBy: "j.reyes",
    sessionId: null,
    ...overrides,
  };
}

export function changeView(overrides: Partial<ChangeView> = {}): ChangeView {
  return {
    baseline: 20,
    current: 10,
    reductionPercent: 50,
    response: "response",
    responseText: "Response",
    worsened: false,
    remission: false,
    remissionThreshold: "below 5",
    verified: true,
    ...overrides,
  };
}

export function trendView(overrides: Partial<TrendView> = {}): TrendView {
  return {
    instrument: "phq9",
    instrumentName: "PHQ-9",
    points: [scoreView()],
    priorId: null,
    change: null,
    bands: PHQ9_BANDS,
    totalMin: 0,
    totalMax: 27,
    ...overrides,
  };
}
