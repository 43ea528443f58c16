// Test fixtures for patient self-entry: questionnaires as the core's bundled reference has them.
import type { InstrumentItemView, InstrumentView, KioskView } from "../lib/bindings";

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

function item(id: string, label: string, overrides: Partial<InstrumentItemView> = {}) {
  return {
    id,
    label,
    options: FREQUENCY,
    scored: true,
    required: true,
    askedIfItem: null,
    askedIfEquals: null,
    verified: true,
    ...overrides,
  } satisfies InstrumentItemView;
}

function instrument(overrides: Partial<InstrumentView>): InstrumentView {
  return {
    id: "phq9",
    name: "Patient Health Questionnaire-9",
    shortName: "PHQ-9",
    entry: "items",
    rater: "self",
    recallPeriod: "Past 2 weeks",
    stem: null,
    items: [],
    totalMin: 0,
    totalMax: 27,
    bands: [{ min: 20, max: 27, label: "Severe depression" }],
    changeRule: null,
    licenceNote: "Copyright Pfizer Inc.",
    verified: true,
    needsTimepoint: false,
    ...overrides,
  };
}

export const PHQ9 = instrument({
  stem: "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
  items: [
    item("1", "Little interest or pleasure in doing things"),
    item("2", "Feeling down, depressed, or hopeless"),
    item("3", "Trouble falling or staying asleep, or sleeping too much"),
    item("4", "Feeling tired or having little energy"),
    item("5", "Poor appetite or overeating"),
    item("6", "Feeling bad about yourself — or that you are a failure"),
    item("7", "Trouble concentrating on things"),
    item("8", "Moving or speaking so slowly that other people could have noticed"),
    item("9", "Thoughts that you would be better off dead or of hurting yourself in some way"),
    item(
      "10",
      "If you checked off any problems, how difficult have these problems made it for you?",
      {
        scored: false,
        required: false,
        options: [
          { value: 0, label: "Not difficult at all" },
          { value: 1, label: "Somewhat difficult" },
          { value: 2, label: "Very difficult" },
          { value: 3, label: "Extremely difficult" },
        ],
      },
    ),
  ],
});

export const GAD7 = instrument({
  id: "gad7",
  name: "Generalized Anxiety Disorder-7",
  shortName: "GAD-7",
  totalMax: 21,
  stem: "Over the last 2 weeks, how often have you been bothered by the following problems?",
  items: [
    item("1", "Feeling nervous, anxious, or on edge"),
    item("2", "Not being able to stop or control worrying"),
    item("3", "Worrying too much about different things"),
    item("4", "Trouble relaxing"),
    item("5", "Being so restless that it is hard to sit still"),
    item("6", "Becoming easily annoyed or irritable"),
    item("7", "Feeling afraid, as if something awful might happen"),
  ],
});

/** The C-SSRS screener: questions 3 to 5 follow a yes to 2, 6a a yes to 6. */
export const CSSRS = instrument({
  id: "cssrs_screener",
  name: "Columbia Suicide Severity Rating Scale, screener",
  shortName: "C-SSRS screener",
  rater: "clinician_or_self",
  recallPeriod: "Past month",
  totalMin: null,
  totalMax: null,
  items: [
    item("1", "Wish to be dead", { options: YES_NO, scored: false }),
    item("2", "Suicidal thoughts", { options: YES_NO, scored: false }),
    item("3", "Suicidal thoughts with a method", {
      options: YES_NO,
      scored: false,
      askedIfItem: "2",
      askedIfEquals: 1,
    }),
    item("4", "Suicidal intent", {
      options: YES_NO,
      scored: false,
      askedIfItem: "2",
      askedIfEquals: 1,
    }),
    item("5", "Suicidal intent with a plan", {
      options: YES_NO,
      scored: false,
      askedIfItem: "2",
      askedIfEquals: 1,
    }),
    item("6", "Suicidal behavior (lifetime)", { options: YES_NO, scored: false }),
    item("6a", "Suicidal behavior, past 3 months", {
      options: YES_NO,
      scored: false,
      askedIfItem: "6",
      askedIfEquals: 1,
    }),
  ],
});

/** Self-entry as the core reports it: what is left, out of how many. */
export function kioskView(remaining: InstrumentView[], total = remaining.length): KioskView {
  return { remaining, total, done: total - remaining.length };
}
