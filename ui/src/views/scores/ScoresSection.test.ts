import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import type { ScoreForm, ScoreView, TrendView } from "../../lib/bindings";
import { callsOf, ipcError, mockCommands, type Handler } from "../../test/ipc";
import { changeView, INSTRUMENTS, madrs, scoreView, trendView } from "../../test/scores";
import { ChartEditor } from "../record/editor.svelte";
import type { TrendChartData } from "./scores";
import ScoresSection from "./ScoresSection.svelte";

// Chart.js needs a real canvas: the tests check what the section asks it to draw instead.
const drawn = vi.hoisted(() => ({ charts: [] as TrendChartData[], destroyed: 0 }));
vi.mock("./load-chart", () => ({
  loadChart: async () => (_canvas: HTMLCanvasElement, data: TrendChartData) => {
    drawn.charts.push(data);
    return { destroy: () => (drawn.destroyed += 1) };
  },
}));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(2026, 2, 15, 10, 0));
  drawn.charts = [];
  drawn.destroyed = 0;
});

afterEach(() => {
  vi.useRealTimers();
  clearMocks();
});

const ITEM9_FLAG =
  "Question 9 (thoughts of being better off dead or of self-harm) was answered above 0: assess suicide risk now with the C-SSRS screener";

function setup(
  opts: {
    scores?: ScoreView[];
    trends?: TrendView[];
    canEdit?: boolean;
    handlers?: Record<string, Handler>;
    sessionOptions?: { id: number; label: string }[];
  } = {},
) {
  const calls = mockCommands({
    list_instruments: () => INSTRUMENTS,
    list_scores: () => opts.scores ?? [],
    score_trends: () => opts.trends ?? [],
    ...opts.handlers,
  });
  const editor = new ChartEditor();
  render(ScoresSection, {
    patientId: 7,
    editor,
    canEdit: opts.canEdit ?? true,
    sessionOptions: opts.sessionOptions ?? [],
  });
  return { calls, editor };
}

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no #${id}`);
  return el;
}

async function openForm(user: ReturnType<typeof userEvent.setup>, instrument: string) {
  await user.click(await screen.findByRole("button", { name: "Add a score" }));
  expect(screen.getByRole("heading", { level: 3, name: "Add a score" })).toHaveFocus();
  await user.selectOptions(byId("score-instrument"), instrument);
}

/** The value beside a label in the saved score's result. */
function resultValue(label: string): string | undefined {
  const dt = Array.from(byId("score-result").querySelectorAll("dt")).find(
    (d) => d.textContent?.trim() === label,
  );
  return dt?.nextElementSibling?.textContent?.replace(/\s+/g, " ").trim();
}

function sentForms(calls: ReturnType<typeof setup>["calls"]): ScoreForm[] {
  return callsOf(calls, "record_score").map((a) => a["form"] as ScoreForm);
}

test("a PHQ-9 answered question by question sends exactly what was entered", async () => {
  const user = userEvent.setup();
  const saved = scoreView({
    id: 30,
    administeredAt: "2026-03-15T09:40",
    answers: { "1": 2, "2": 2, "3": 1, "4": 3, "5": 1, "6": 2, "7": 1, "8": 0, "9": 0, "10": 1 },
    total: 12,
    band: "Moderate",
  });
  const { calls } = setup({ handlers: { record_score: () => saved } });
  await openForm(user, "phq9");

  // The instrument's groups, its stem and attribution, and nothing answered yet.
  const select = byId("score-instrument");
  expect(
    Array.from(select.querySelectorAll("optgroup")).map((g) => g.getAttribute("label")),
  ).toEqual(["Self-report", "Clinician-rated", "Clinician-rated or self-report"]);
  expect(byId("score-stem")).toHaveTextContent(
    "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
  );
  expect(byId("score-licence")).toHaveTextContent("Copyright Pfizer Inc.");
  expect(byId("score-date")).toHaveValue("15-Mar-2026");
  expect(byId("score-time")).toHaveValue("10:00");
  expect(byId("score-mode-clinician")).not.toBeChecked();
  expect(byId("score-mode-self_report")).not.toBeChecked();
  expect(document.querySelectorAll('#score-questions input[type="radio"]:checked')).toHaveLength(0);
  expect(byId("score-running-total")).toHaveTextContent("Total so far: 0");
  // No time point outside the CADSS.
  expect(document.getElementById("score-timepoint-pre_dose")).toBeNull();

  // Item 10 is not verified and not part of the total.
  const q10 = byId("score-item-10-0").closest("fieldset") as HTMLElement;
  expect(within(q10).getByText("Requires clinical review")).toBeInTheDocument();
  expect(q10).toHaveTextContent("(not part of the total)");
  const q9 = byId("score-item-9-0").closest("fieldset") as HTMLElement;
  expect(within(q9).getByText(/^9\. Thoughts that you would be better off dead/)).toBeTruthy();
  expect(within(q9).queryByText("Requires clinical review")).toBeNull();

  await user.clear(byId("score-time"));
  await user.type(byId("score-time"), "9:40");
  await user.click(byId("score-mode-self_report"));
  // The rater's name is asked only when a clinician rated it.
  expect(document.getElementById("score-rater")).toBeNull();
  const answers: Record<string, number> = {
    "1": 2,
    "2": 2,
    "3": 1,
    "4": 3,
    "5": 1,
    "6": 2,
    "7": 1,
    "8": 0,
    "9": 0,
    "10": 1,
  };
  for (const [item, value] of Object.entries(answers)) {
    await user.click(byId(`score-item-${item}-${value}`));
  }
  expect(byId("score-running-total")).toHaveTextContent(
    "Total so far: 12 (9 of 9 scored questions answered, out of 27)",
  );
  await user.click(byId("save-score"));

  await waitFor(() => expect(callsOf(calls, "record_score")).toHaveLength(1));
  expect(callsOf(calls, "record_score")[0]).toEqual({
    patientId: 7,
    form: {
      instrument: "phq9",
      administeredAt: "2026-03-15T09:40",
      mode: "self_report",
      rater: null,
      timepoint: null,
      answers,
      total: null,
      sessionId: null,
    },
  });

  // The form closes; the core's result is shown and focused; the lists are read again.
  await waitFor(() => expect(document.getElementById("score-form")).toBeNull());
  await waitFor(() => expect(byId("score-result-title")).toHaveFocus());
  expect(byId("score-result-title")).toHaveTextContent("PHQ-9 saved");
  expect(byId("score-result-total")).toHaveTextContent("12 out of 27");
  expect(byId("score-result-band")).toHaveTextContent("Moderate");
  expect(resultValue("Safety flags")).toBe("None");
  expect(document.getElementById("score-safety-alert")).toBeNull();
  await waitFor(() => expect(callsOf(calls, "list_scores")).toHaveLength(2));
  expect(callsOf(calls, "score_trends")).toHaveLength(2);
});

test("a question the core says is missing is named in the summary and at the question", async () => {
  const user = userEvent.setup();
  setup({
    handlers: {
      record_score: () =>
        ipcError("Validation", "Answer question 4 (Feeling tired or having little energy)", [
          {
            field: "items.4",
            message: "Answer question 4 (Feeling tired or having little energy)",
          },
        ]),
    },
  });
  await openForm(user, "phq9");
  await user.click(byId("score-mode-self_report"));
  for (const item of ["1", "2", "3", "5", "6", "7", "8", "9"]) {
    await user.click(byId(`score-item-${item}-1`));
  }
  await user.click(byId("save-score"));

  const summary = await screen.findByRole("alert");
  expect(summary).toHaveTextContent("There is a problem");
  expect(summary).toHaveFocus();
  const link = within(summary).getByRole("link", {
    name: "Answer question 4 (Feeling tired or having little energy)",
  });
  expect(link).toHaveAttribute("href", "#score-item-4-0");
  expect(byId("score-item-4-error")).toHaveTextContent(
    "Error: Answer question 4 (Feeling tired or having little energy)",
  );
  expect(byId("score-item-4-group")).toHaveClass("form-group--error");
  expect(byId("score-item-5-group")).not.toHaveClass("form-group--error");
  expect(document.title).toMatch(/^Error: /);

  await user.click(link);
  expect(byId("score-item-4-0")).toHaveFocus();
  // What was entered is kept.
  expect(byId("score-item-9-1")).toBeChecked();
  expect(byId("score-mode-self_report")).toBeChecked();
});

test("a MADRS is entered as a total, rated by a clinician", async () => {
  const user = userEvent.setup();
  const saved = scoreView({
    id: 31,
    instrument: "madrs",
    instrumentName: "MADRS",
    mode: "clinician",
    rater: "Dr Okafor",
    total: 28,
    totalEntered: true,
    band: "Moderate",
    administeredAt: "2026-03-15T10:00",
  });
  const { calls } = setup({ handlers: { record_score: () => saved } });
  await openForm(user, "madrs");

  // No questions: the item text is licensed. Clinician-rated, so "who answered" is not asked.
  expect(document.getElementById("score-questions")).toBeNull();
  expect(document.getElementById("score-mode-clinician")).toBeNull();
  expect(byId("score-mode-fixed")).toHaveTextContent("a clinician rates the MADRS");
  expect(byId("score-licence")).toHaveTextContent(madrs.licenceNote);
  expect(screen.getByLabelText("MADRS total score")).toHaveAttribute("id", "score-total");
  expect(byId("score-total-hint")).toHaveTextContent("Between 0 and 60");
  expect(byId("score-total")).toHaveAttribute("inputmode", "numeric");

  // A box that does not hold a whole number is caught before anything is sent.
  await user.type(byId("score-total"), "28.5");
  await user.click(byId("save-score"));
  const summary = await screen.findByRole("alert");
  expect(within(summary).getByRole("link")).toHaveAttribute("href", "#score-total");
  expect(byId("score-total-error")).toHaveTextContent(
    "The MADRS total score must be a whole number, like 60",
  );
  expect(callsOf(calls, "record_score")).toHaveLength(0);

  await user.clear(byId("score-total"));
  await user.type(byId("score-total"), "28");
  await user.type(byId("score-rater"), "Dr Okafor");
  await user.click(byId("save-score"));
  await waitFor(() => expect(sentForms(calls)).toHaveLength(1));
  expect(sentForms(calls)[0]).toEqual({
    instrument: "madrs",
    administeredAt: "2026-03-15T10:00",
    mode: "clinician",
    rater: "Dr Okafor",
    timepoint: null,
    answers: {},
    total: 28,
    sessionId: null,
  });
  await waitFor(() => expect(byId("score-result-total")).toHaveTextContent("28 out of 60"));
  expect(resultValue("Who answered")).toBe("Dr Okafor");
});

test("a CADSS needs its time point: the core's error shows at the radios", async () => {
  const user = userEvent.setup();
  let attempts = 0;
  const { calls } = setup({
    handlers: {
      record_score: () => {
        attempts += 1;
        if (attempts === 1) {
          return ipcError("Validation", "Check the score", [
            {
              field: "timepoint",
              message: "Select when the CADSS was rated: before the dose or at the peak",
            },
          ]);
        }
        return scoreView({
          id: 32,
          instrument: "cadss",
          instrumentName: "CADSS",
          mode: "clinician",
          timepoint: "peak",
          total: 18,
          totalEntered: true,
          band: null,
        });
      },
    },
  });
  await openForm(user, "cadss");
  expect(byId("score-timepoint-pre_dose")).not.toBeChecked();
  expect(byId("score-timepoint-peak")).not.toBeChecked();
  await user.type(byId("score-total"), "18");
  await user.click(byId("save-score"));

  const summary = await screen.findByRole("alert");
  expect(
    within(summary).getByRole("link", {
      name: "Select when the CADSS was rated: before the dose or at the peak",
    }),
  ).toHaveAttribute("href", "#score-timepoint-pre_dose");
  expect(byId("score-timepoint-error")).toHaveTextContent(
    "Select when the CADSS was rated: before the dose or at the peak",
  );
  expect(sentForms(calls)[0]?.timepoint).toBeNull();

  await user.click(byId("score-timepoint-peak"));
  await user.click(byId("save-score"));
  await waitFor(() => expect(sentForms(calls)).toHaveLength(2));
  expect(sentForms(calls)[1]).toMatchObject({
    instrument: "cadss",
    mode: "clinician",
    timepoint: "peak",
    total: 18,
    answers: {},
  });
  await waitFor(() => expect(resultValue("Time point")).toBe("At the peak"));
});

test("C-SSRS: questions 3 to 5 appear only when question 2 is yes, and go with their answers", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    handlers: {
      record_score: () =>
        scoreView({
          id: 33,
          instrument: "cssrs_screener",
          instrumentName: "C-SSRS screener",
          total: null,
          band: null,
          triage: "Low risk",
          verified: false,
        }),
    },
  });
  await openForm(user, "cssrs_screener");
  const shownItems = () =>
    Array.from(document.querySelectorAll("#score-questions fieldset")).map(
      (f) => f.querySelector("input")?.getAttribute("name") ?? "",
    );
  expect(shownItems()).toEqual(["score-item-1", "score-item-2", "score-item-6"]);
  expect(byId("score-running-total")).toHaveTextContent("This scale has no total");
  const q1 = byId("score-item-1-0").closest("fieldset") as HTMLElement;
  expect(within(q1).getByText("Requires clinical review")).toBeInTheDocument();

  await user.click(byId("score-item-2-1"));
  expect(shownItems()).toEqual([
    "score-item-1",
    "score-item-2",
    "score-item-3",
    "score-item-4",
    "score-item-5",
    "score-item-6",
  ]);
  await user.click(byId("score-item-3-1"));
  await user.click(byId("score-item-4-0"));

  // Question 2 changed to No: 3 to 5 are hidden and their answers dropped.
  await user.click(byId("score-item-2-0"));
  expect(shownItems()).toEqual(["score-item-1", "score-item-2", "score-item-6"]);
  expect(document.getElementById("score-item-3-1")).toBeNull();

  await user.click(byId("score-item-6-1"));
  expect(byId("score-item-6a-0")).toBeInTheDocument();
  await user.click(byId("score-item-6a-0"));
  await user.click(byId("score-item-1-1"));
  await user.click(byId("score-mode-clinician"));
  await user.click(byId("save-score"));
  await waitFor(() => expect(sentForms(calls)).toHaveLength(1));
  expect(sentForms(calls)[0]?.answers).toEqual({ "1": 1, "2": 0, "6": 1, "6a": 0 });
  expect(sentForms(calls)[0]?.rater).toBeNull();

  await waitFor(() => expect(resultValue("Triage")).toBe("Low risk Requires clinical review"));
  expect(document.getElementById("score-safety-alert")).toBeNull();
});

test("a saved PHQ-9 with question 9 flagged shows the safety alert prominently", async () => {
  const user = userEvent.setup();
  setup({
    handlers: {
      record_score: () =>
        scoreView({ id: 34, total: 14, band: "Moderate", flags: [ITEM9_FLAG], answers: {} }),
    },
  });
  await openForm(user, "phq9");
  await user.click(byId("score-mode-self_report"));
  for (const item of ["1", "2", "3", "4", "5", "6", "7", "8"]) {
    await user.click(byId(`score-item-${item}-1`));
  }
  await user.click(byId("score-item-9-3"));
  await user.click(byId("save-score"));

  const callout = await waitFor(() => byId("score-safety-alert"));
  expect(callout).toHaveClass("warning-callout");
  expect(within(callout).getByRole("heading", { level: 4 })).toHaveTextContent(
    "Safety alert raised — a clinician must acknowledge it",
  );
  expect(callout).toHaveTextContent(ITEM9_FLAG);
  // The alert comes before the total and band.
  const panel = byId("score-result");
  expect(panel.textContent?.indexOf("Safety alert raised")).toBeLessThan(
    panel.textContent?.indexOf("Total") ?? 0,
  );
  expect(byId("score-result-band")).toHaveTextContent("Moderate");

  await user.click(screen.getByRole("button", { name: "Hide this result" }));
  expect(document.getElementById("score-result")).toBeNull();
});

test("the date and time boxes are checked before anything is sent", async () => {
  const user = userEvent.setup();
  const { calls } = setup();
  await openForm(user, "phq9");
  await user.clear(byId("score-date"));
  await user.type(byId("score-date"), "31-Feb-2026");
  await user.clear(byId("score-time"));
  await user.click(byId("save-score"));
  const summary = await screen.findByRole("alert");
  expect(
    within(summary)
      .getAllByRole("link")
      .map((a) => [a.textContent, a.getAttribute("href")]),
  ).toEqual([
    ["Date given must be a real date, like 17-Mar-2026", "#score-date"],
    ["Enter the time it was given", "#score-time"],
  ]);
  expect(byId("score-date")).toHaveAttribute("aria-invalid", "true");
  expect(byId("score-date")).toHaveValue("31-Feb-2026");
  expect(callsOf(calls, "record_score")).toHaveLength(0);
});

test("the core's refusals of the time and who answered are shown at those questions", async () => {
  const user = userEvent.setup();
  setup({
    handlers: {
      record_score: () =>
        ipcError("Validation", "Check the score", [
          { field: "administeredAt", message: "The date and time cannot be in the future" },
          { field: "mode", message: "Select who answered" },
        ]),
    },
  });
  await openForm(user, "phq9");
  await user.click(byId("save-score"));
  const summary = await screen.findByRole("alert");
  expect(
    within(summary)
      .getAllByRole("link")
      .map((a) => a.getAttribute("href")),
  ).toEqual(["#score-date", "#score-mode-clinician"]);
  expect(byId("score-when-error")).toHaveTextContent("The date and time cannot be in the future");
  expect(byId("score-mode-error")).toHaveTextContent("Select who answered");
});

const phqPoints = [
  scoreView({ id: 1, total: 20, band: "Severe", administeredAt: "2026-03-02T09:30" }),
  scoreView({
    id: 2,
    total: 15,
    band: "Moderately severe",
    administeredAt: "2026-03-16T10:00",
    mode: "clinician",
    rater: "Jo Reyes",
  }),
  scoreView({
    id: 3,
    total: 10,
    band: "Moderate",
    administeredAt: "2026-03-30T10:15",
    flags: [ITEM9_FLAG],
  }),
];
const madrsPoint = scoreView({
  id: 4,
  instrument: "madrs",
  instrumentName: "MADRS",
  total: 0,
  totalEntered: true,
  band: "Normal",
  mode: "clinician",
  rater: null,
  administeredAt: "2026-03-02T11:00",
});
const madrsLater = scoreView({
  ...madrsPoint,
  id: 5,
  total: 4,
  administeredAt: "2026-03-30T11:00",
});
const cssrsScore = scoreView({
  id: 6,
  instrument: "cssrs_screener",
  instrumentName: "C-SSRS screener",
  total: null,
  band: null,
  triage: "High risk",
  verified: false,
  mode: "clinician",
  rater: "Dr Okafor",
  administeredAt: "2026-03-31T09:00",
});

const TRENDS: TrendView[] = [
  trendView({ points: phqPoints, priorId: 2, change: changeView() }),
  trendView({
    instrument: "madrs",
    instrumentName: "MADRS",
    points: [madrsPoint, madrsLater],
    bands: madrs.bands,
    totalMax: 60,
    change: changeView({
      baseline: 0,
      current: 4,
      reductionPercent: null,
      response: "not_computable",
      responseText: "Baseline 0: response not computable",
      worsened: true,
      remission: true,
      remissionThreshold: "10 or less",
      verified: false,
    }),
  }),
];

test("the history lists every score newest first, with who answered and any flags", async () => {
  setup({
    scores: [...phqPoints, madrsPoint, madrsLater, cssrsScore],
    trends: TRENDS,
    canEdit: false,
  });
  const table = await waitFor(() => byId("score-table"));
  expect(table.querySelector("caption")).toHaveTextContent("Scores recorded: 6, newest first");
  const rows = within(table)
    .getAllByRole("row")
    .slice(1)
    .map((r) =>
      Array.from(r.querySelectorAll("th, td")).map((c) =>
        (c.textContent ?? "").replace(/\s+/g, " ").trim(),
      ),
    );
  expect(rows[0]).toEqual([
    "31-Mar-2026 09:0031 March 2026 at 09:00",
    "C-SSRS screener",
    "No total",
    "High risk Requires clinical review",
    "Dr Okafor",
    "Safety alert",
  ]);
  expect(rows[2]).toEqual([
    "30-Mar-2026 10:1530 March 2026 at 10:15",
    "PHQ-9",
    "10",
    "Moderate",
    "Patient self-report",
    `Safety alert ${ITEM9_FLAG}`,
  ]);
  expect(rows[3]?.slice(1)).toEqual(["PHQ-9", "15", "Moderately severe", "Jo Reyes", "None"]);
  expect(rows[4]?.slice(1)).toEqual(["MADRS", "0", "Normal", "Clinician", "None"]);
  // Billing staff read the scores but add none.
  expect(document.getElementById("add-score")).toBeNull();
});

test("trends: a chart with the bands shaded and a table of the change from baseline", async () => {
  setup({ scores: [...phqPoints, madrsPoint, madrsLater], trends: TRENDS });
  await screen.findByRole("heading", { level: 3, name: "Trends" });

  // PHQ-9: exactly 50 % lower is a response.
  const phq = byId("trend-phq9");
  const phqTable = within(phq).getByRole("table");
  expect(phqTable.querySelector("caption")).toHaveTextContent("PHQ-9: change from baseline");
  const cells = (row: string) =>
    Array.from(phqTable.querySelectorAll(`tr.${row} th, tr.${row} td`)).map((c) =>
      (c.textContent ?? "").replace(/\s+/g, " ").trim(),
    );
  expect(cells("trend-baseline")).toEqual([
    "Baseline",
    "20",
    "02-Mar-2026 09:302 March 2026 at 09:30",
    "Severe",
  ]);
  expect(cells("trend-prior")).toEqual([
    "Prior",
    "15",
    "16-Mar-2026 10:0016 March 2026 at 10:00",
    "Moderately severe",
  ]);
  expect(cells("trend-latest")).toEqual([
    "Latest",
    "10",
    "30-Mar-2026 10:1530 March 2026 at 10:15",
    "Moderate",
  ]);
  expect(phq.querySelector(".trend-percent")).toHaveTextContent("\u221250 % (20 to 10)");
  expect(phq.querySelector(".trend-response")).toHaveTextContent(/^Response$/);
  expect(phq.querySelector(".trend-remission")).toHaveTextContent(
    "No (remission is a total below 5)",
  );
  expect(phq.querySelector(".trend-review")).toBeNull();
  expect(phq.querySelector(".trend-rule")).toHaveTextContent(
    "Response: 50 % or more below baseline; partial response: 25 % or more; remission: below 5",
  );

  // MADRS: a baseline of 0 cannot give a percentage.
  const m = byId("trend-madrs");
  expect(m.querySelector(".trend-percent")).toHaveTextContent(
    "Cannot be worked out: the baseline total is 0",
  );
  expect(m.querySelector(".trend-response")).toHaveTextContent(
    "Baseline 0: response not computable",
  );
  expect(m.querySelector(".trend-remission")).toHaveTextContent(
    "Yes (remission is a total 10 or less)",
  );
  expect(m.querySelector(".trend-review")).toHaveTextContent("Requires clinical review");
  expect(m.querySelector("tr.trend-prior")).toBeNull();

  // The charts: what was drawn, and the text alternative on the canvas.
  await waitFor(() => expect(drawn.charts).toHaveLength(2));
  const [phqChart, madrsChart] = drawn.charts;
  expect(phqChart?.series).toEqual([
    {
      label: "PHQ-9 total",
      points: [
        { x: Date.UTC(2026, 2, 2, 9, 30), y: 20, id: 1 },
        { x: Date.UTC(2026, 2, 16, 10, 0), y: 15, id: 2 },
        { x: Date.UTC(2026, 2, 30, 10, 15), y: 10, id: 3 },
      ],
    },
  ]);
  expect(phqChart?.bands.map((b) => [b.label, b.from, b.to])).toEqual([
    ["None–minimal", 0, 4.5],
    ["Mild", 4.5, 9.5],
    ["Moderate", 9.5, 14.5],
    ["Moderately severe", 14.5, 19.5],
    ["Severe", 19.5, 27],
  ]);
  expect([phqChart?.yMin, phqChart?.yMax]).toEqual([0, 27]);
  expect(phqChart?.markers).toEqual([]);
  expect(madrsChart?.bands.map((b) => b.label)).toEqual(["Normal", "Mild", "Moderate", "Severe"]);
  expect(madrsChart?.yMax).toBe(60);
  const canvas = phq.querySelector("canvas");
  expect(canvas).toHaveAttribute("role", "img");
  expect(canvas).toHaveAttribute(
    "aria-label",
    "PHQ-9 totals over time: baseline 20 on 02-Mar-2026 09:30 to latest 10 on 30-Mar-2026 10:15. The table below gives the details.",
  );
});

test("treatment sessions passed in are marked on the chart", async () => {
  mockCommands({
    list_instruments: () => INSTRUMENTS,
    list_scores: () => phqPoints,
    score_trends: () => [TRENDS[0]],
  });
  render(ScoresSection, {
    patientId: 7,
    editor: new ChartEditor(),
    sessions: ["2026-03-04", "2026-03-11", "2026-05-01"],
  });
  await waitFor(() => expect(drawn.charts).toHaveLength(1));
  expect(drawn.charts[0]?.markers).toEqual([Date.UTC(2026, 2, 4), Date.UTC(2026, 2, 11)]);
});

test("one score so far: the trend says the baseline is the only one", async () => {
  setup({
    scores: [phqPoints[0] as ScoreView],
    trends: [trendView({ points: [phqPoints[0] as ScoreView] })],
  });
  const t = await waitFor(() => byId("trend-phq9"));
  expect(t.querySelector("tr.trend-latest")).toHaveTextContent(
    "The baseline is the only score so far",
  );
  expect(t.querySelector(".trend-percent")).toHaveTextContent(
    "Shown once a second score is recorded",
  );
});

test("with no scores yet the section says how to start; a failed read says so", async () => {
  setup();
  expect(await screen.findByText(/No rating scales recorded yet/)).toHaveTextContent(
    "Add a baseline score, such as a PHQ-9, before the first treatment session.",
  );
  expect(document.getElementById("score-table")).toBeNull();
  expect(screen.getByRole("heading", { level: 2, name: "Rating scales" })).toBeInTheDocument();
  clearMocks();

  document.body.innerHTML = "";
  setup({
    handlers: {
      list_scores: () => ipcError("NotFound", "This patient is not in the clinic's records"),
    },
  });
  expect(await screen.findByText("This patient is not in the clinic's records")).toHaveAttribute(
    "id",
    "scores-problem",
  );
});

test("a score can be linked to one of the patient's treatment sessions", async () => {
  const user = userEvent.setup();
  const saved = scoreView({ id: 40, instrument: "madrs", instrumentName: "MADRS", total: 22 });
  const { calls } = setup({
    handlers: { record_score: () => saved },
    sessionOptions: [{ id: 12, label: "Spravato session, 20-Nov-2026" }],
  });
  await openForm(user, "madrs");
  await user.selectOptions(byId("score-sessionId"), "12");
  await user.type(byId("score-total"), "22");
  await user.type(byId("score-rater"), "Dr Okafor");
  await user.click(byId("save-score"));
  await waitFor(() => expect(sentForms(calls)).toHaveLength(1));
  expect(sentForms(calls)[0]).toMatchObject({ sessionId: 12, total: 22 });
});
