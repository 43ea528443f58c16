import { describe, expect, test } from "vitest";
import { changeView, cssrs, madrs, phq9, qids, scoreView, trendView } from "../../test/scores";
import {
  askedItems,
  axisDate,
  axisDateTime,
  bandRects,
  chartData,
  chartSummary,
  combineDateTime,
  formatChange,
  groupInstruments,
  instrumentLabel,
  isAsked,
  keptAnswers,
  nowBoxes,
  raisedAlert,
  readDate,
  readTime,
  readWholeNumber,
  runningTotal,
  timeValue,
  trendPoints,
  whoAnswered,
} from "./scores";

describe("date and time boxes", () => {
  test("reads the chart's own date format, ISO and US order", () => {
    expect(readDate("17-Mar-2026")).toBe("2026-03-17");
    expect(readDate("03-mar-2026")).toBe("2026-03-03");
    expect(readDate("3 March 2026")).toBe("2026-03-03");
    expect(readDate(" 2026-03-17 ")).toBe("2026-03-17");
    expect(readDate("2026-3-7")).toBe("2026-03-07");
    expect(readDate("3/17/2026")).toBe("2026-03-17");
    expect(readDate("29-Feb-2024")).toBe("2024-02-29");
  });

  test("refuses what is not a real date, never guessing", () => {
    expect(readDate("29-Feb-2026")).toBeNull();
    expect(readDate("17/3/2026")).toBeNull();
    expect(readDate("32-Mar-2026")).toBeNull();
    expect(readDate("17-Ma-2026")).toBeNull();
    expect(readDate("17-Marchy-2026")).toBeNull();
    expect(readDate("Mar-2026")).toBeNull();
    expect(readDate("")).toBeNull();
  });

  test("reads times on the 24-hour clock", () => {
    expect(readTime("14:05")).toBe("14:05");
    expect(readTime("9:30")).toBe("09:30");
    expect(readTime("0930")).toBe("09:30");
    expect(readTime("14.05")).toBe("14:05");
    expect(readTime("00:00")).toBe("00:00");
    expect(readTime("23:59")).toBe("23:59");
    expect(readTime("24:00")).toBeNull();
    expect(readTime("12:60")).toBeNull();
    expect(readTime("2pm")).toBeNull();
    expect(readTime("")).toBeNull();
  });

  test("combines the boxes into the core's YYYY-MM-DDTHH:MM, or nothing", () => {
    expect(combineDateTime("17-Mar-2026", "9:05")).toBe("2026-03-17T09:05");
    expect(combineDateTime("3/17/2026", "14:30")).toBe("2026-03-17T14:30");
    expect(combineDateTime("17-Mar-2026", "25:00")).toBeNull();
    expect(combineDateTime("Tuesday", "14:30")).toBeNull();
  });

  test("the boxes start at now, shown as the chart shows dates", () => {
    expect(nowBoxes(new Date(2026, 2, 7, 9, 5))).toEqual({ date: "07-Mar-2026", time: "09:05" });
    expect(nowBoxes(new Date(2026, 11, 31, 23, 59))).toEqual({
      date: "31-Dec-2026",
      time: "23:59",
    });
  });

  test("a total is a whole number as typed", () => {
    expect(readWholeNumber(" 24 ")).toBe(24);
    expect(readWholeNumber("0")).toBe(0);
    expect(readWholeNumber("24.5")).toBeNull();
    expect(readWholeNumber("-3")).toBeNull();
    expect(readWholeNumber("twenty")).toBeNull();
    expect(readWholeNumber("")).toBeNull();
  });
});

describe("C-SSRS branching", () => {
  const ids = (answers: Record<string, number>) => askedItems(cssrs, answers).map((i) => i.id);

  test("questions 3 to 5 are asked only when question 2 is yes; 6a only when 6 is yes", () => {
    expect(ids({})).toEqual(["1", "2", "6"]);
    expect(ids({ "1": 1, "2": 0 })).toEqual(["1", "2", "6"]);
    expect(ids({ "2": 1 })).toEqual(["1", "2", "3", "4", "5", "6"]);
    expect(ids({ "2": 1, "6": 1 })).toEqual(["1", "2", "3", "4", "5", "6", "6a"]);
    expect(ids({ "6": 0 })).toEqual(["1", "2", "6"]);
  });

  test("answers to questions no longer asked are dropped", () => {
    expect(keptAnswers(cssrs, { "1": 1, "2": 0, "3": 1, "4": 0, "6": 0, "6a": 1 })).toEqual({
      "1": 1,
      "2": 0,
      "6": 0,
    });
    expect(keptAnswers(cssrs, { "2": 1, "3": 1 })).toEqual({ "2": 1, "3": 1 });
  });

  test("a question that hangs off a hidden question is hidden too", () => {
    const items = [
      ...cssrs.items,
      { ...(cssrs.items[2] as (typeof cssrs.items)[number]), id: "3b", askedIfItem: "3" },
    ];
    const b = items.find((i) => i.id === "3b");
    if (!b) throw new Error("no 3b");
    // 3 was answered yes, then 2 changed to no: 3 is hidden, so 3b is too.
    expect(isAsked(b, items, { "2": 0, "3": 1 })).toBe(false);
    expect(isAsked(b, items, { "2": 1, "3": 1 })).toBe(true);
  });

  test("questions without a condition are always asked", () => {
    expect(askedItems(phq9, {}).map((i) => i.id)).toEqual([
      "1",
      "2",
      "3",
      "4",
      "5",
      "6",
      "7",
      "8",
      "9",
      "10",
    ]);
  });
});

describe("running total", () => {
  test("sums the scored answers of a plain-sum scale, leaving out unscored questions", () => {
    expect(runningTotal(phq9, {})).toBe(0);
    expect(runningTotal(phq9, { "1": 3, "2": 2, "9": 1, "10": 3 })).toBe(6);
  });

  test("is not offered where only the core's scoring is right", () => {
    // QIDS-SR16: 16 questions of 0–3 but a 0–27 total (highest answer per domain).
    expect(runningTotal(qids, { "1": 3, "2": 3 })).toBeNull();
    // No total at all, or a total entered by hand.
    expect(runningTotal(cssrs, { "1": 1 })).toBeNull();
    expect(runningTotal(madrs, {})).toBeNull();
  });
});

describe("instruments", () => {
  test("are grouped by who rates them, keeping the reference's order", () => {
    const groups = groupInstruments([phq9, madrs, cssrs, qids]);
    expect(groups.map((g) => [g.label, g.instruments.map((i) => i.id)])).toEqual([
      ["Self-report", ["phq9", "qids_sr16"]],
      ["Clinician-rated", ["madrs"]],
      ["Clinician-rated or self-report", ["cssrs_screener"]],
    ]);
  });

  test("are named by their short name, then in full", () => {
    expect(instrumentLabel(phq9)).toBe("PHQ-9 (Patient Health Questionnaire-9)");
    expect(instrumentLabel({ ...phq9, shortName: phq9.name })).toBe(phq9.name);
  });
});

describe("words", () => {
  test("who answered", () => {
    expect(whoAnswered(scoreView({ mode: "self_report" }))).toBe("Patient self-report");
    expect(whoAnswered(scoreView({ mode: "clinician", rater: " Dr Okafor " }))).toBe("Dr Okafor");
    expect(whoAnswered(scoreView({ mode: "clinician", rater: null }))).toBe("Clinician");
  });

  test("a safety flag or a moderate or high C-SSRS triage raised an alert", () => {
    expect(raisedAlert(scoreView())).toBe(false);
    expect(raisedAlert(scoreView({ flags: ["Question 9 was answered above 0"] }))).toBe(true);
    expect(raisedAlert(scoreView({ triage: "Low risk" }))).toBe(false);
    expect(raisedAlert(scoreView({ triage: "No risk identified" }))).toBe(false);
    expect(raisedAlert(scoreView({ triage: "Moderate risk" }))).toBe(true);
    expect(raisedAlert(scoreView({ triage: "High risk" }))).toBe(true);
  });

  test("percent change: a reduction is shown as a fall, a rise with a plus", () => {
    expect(formatChange(50)).toBe("\u221250 %");
    expect(formatChange(-10)).toBe("+10 %");
    expect(formatChange(0)).toBe("0 %");
    expect(formatChange(100)).toBe("\u2212100 %");
    expect(formatChange(33.3333)).toBe("\u221233.3 %");
    // Cut, not rounded: a 49.96 % fall is not shown as the 50 % a response needs.
    expect(formatChange(49.96)).toBe("\u221249.9 %");
    expect(formatChange(15.000000000000002)).toBe("\u221215 %");
    expect(formatChange(14.999999999999998)).toBe("\u221215 %");
    expect(formatChange(-0.01)).toBe("0 %");
    expect(formatChange(null)).toBeNull();
    expect(formatChange(Number.NaN)).toBeNull();
  });
});

describe("trend points and the chart's text alternative", () => {
  const a = scoreView({ id: 1, total: 20, administeredAt: "2026-03-02T09:30" });
  const b = scoreView({ id: 2, total: 15, administeredAt: "2026-03-16T10:00", band: "Moderate" });
  const c = scoreView({ id: 3, total: 10, administeredAt: "2026-03-30T10:15", band: "Moderate" });

  test("baseline, prior and latest", () => {
    expect(trendPoints(trendView({ points: [a] }))).toEqual({
      baseline: a,
      prior: null,
      latest: null,
    });
    expect(trendPoints(trendView({ points: [a, b] }))).toEqual({
      baseline: a,
      prior: null,
      latest: b,
    });
    expect(trendPoints(trendView({ points: [a, b, c], priorId: 2 }))).toEqual({
      baseline: a,
      prior: b,
      latest: c,
    });
  });

  test("the summary runs from baseline to latest", () => {
    expect(chartSummary(trendView({ points: [a, b, c], priorId: 2 }))).toBe(
      "PHQ-9 totals over time: baseline 20 on 02-Mar-2026 09:30 to latest 10 on 30-Mar-2026 10:15. The table below gives the details.",
    );
    expect(chartSummary(trendView({ points: [a] }))).toBe(
      "PHQ-9 totals over time: baseline 20 on 02-Mar-2026 09:30, the only score so far. The table below gives the details.",
    );
    expect(chartSummary(trendView({ points: [] }))).toBe("PHQ-9 totals: none recorded");
    expect(changeView().responseText).toBe("Response");
  });
});

describe("chart data", () => {
  test("band rectangles meet halfway between whole-number bands, within the range", () => {
    expect(
      bandRects(
        [
          { label: "Mild", min: 5, max: 9 },
          { label: "None–minimal", min: 0, max: 4 },
          { label: "Severe", min: 20, max: 27 },
          { label: "Moderately severe", min: 15, max: 19 },
          { label: "Moderate", min: 10, max: 14 },
        ],
        0,
        27,
      ),
    ).toEqual([
      { label: "None–minimal", from: 0, to: 4.5, shade: 0 },
      { label: "Mild", from: 4.5, to: 9.5, shade: 1 },
      { label: "Moderate", from: 9.5, to: 14.5, shade: 2 },
      { label: "Moderately severe", from: 14.5, to: 19.5, shade: 3 },
      { label: "Severe", from: 19.5, to: 27, shade: 4 },
    ]);
  });

  test("without a stated range the bands' own ends are used", () => {
    expect(bandRects([{ label: "Only", min: 2, max: 8 }], null, null)).toEqual([
      { label: "Only", from: 2, to: 8, shade: 0 },
    ]);
  });

  test("time values keep the wall-clock time, whatever the time zone", () => {
    expect(timeValue("2026-03-02T09:30")).toBe(Date.UTC(2026, 2, 2, 9, 30));
    expect(timeValue("2026-03-02")).toBe(Date.UTC(2026, 2, 2));
    expect(timeValue("soon")).toBeNull();
    expect(axisDate(Date.UTC(2026, 2, 2, 9, 30))).toBe("02-Mar-2026");
    expect(axisDateTime(Date.UTC(2026, 2, 2, 9, 30))).toBe("02-Mar-2026 09:30");
  });

  test("points, bands, ranges and session markers for one trend", () => {
    const t = trendView({
      points: [
        scoreView({ id: 1, total: 20, administeredAt: "2026-03-02T09:30" }),
        scoreView({ id: 2, total: 10, administeredAt: "2026-03-30T10:15" }),
      ],
    });
    const data = chartData(t, ["2026-03-05", "2026-03-09", "2026-02-01", "nonsense"]);
    expect(data.title).toBe("PHQ-9");
    expect(data.series).toEqual([
      {
        label: "PHQ-9 total",
        points: [
          { x: Date.UTC(2026, 2, 2, 9, 30), y: 20, id: 1 },
          { x: Date.UTC(2026, 2, 30, 10, 15), y: 10, id: 2 },
        ],
      },
    ]);
    expect(data.yMin).toBe(0);
    expect(data.yMax).toBe(27);
    expect(data.xMin).toBe(Date.UTC(2026, 2, 2, 9, 30));
    expect(data.xMax).toBe(Date.UTC(2026, 2, 30, 10, 15));
    expect(data.bands).toHaveLength(5);
    expect(data.bands[0]).toEqual({ label: "None–minimal", from: 0, to: 4.5, shade: 0 });
    // Sessions outside the scores' time span (and unreadable ones) are not drawn.
    expect(data.markers).toEqual([Date.UTC(2026, 2, 5), Date.UTC(2026, 2, 9)]);
  });

  test("one score is drawn with a day either side; no bands, no bands drawn", () => {
    const t = trendView({
      instrument: "cadss",
      instrumentName: "CADSS",
      bands: [],
      totalMin: 0,
      totalMax: 92,
      points: [scoreView({ total: 12, band: null, timepoint: "peak" })],
    });
    const data = chartData(t);
    const at = Date.UTC(2026, 2, 2, 9, 30);
    expect(data.xMin).toBe(at - 86_400_000);
    expect(data.xMax).toBe(at + 86_400_000);
    expect(data.bands).toEqual([]);
    expect(data.markers).toEqual([]);
  });

  test("CADSS scores make one line per time point", () => {
    const t = trendView({
      instrument: "cadss",
      instrumentName: "CADSS",
      bands: [],
      totalMin: 0,
      totalMax: 92,
      points: [
        scoreView({ id: 1, total: 2, timepoint: "pre_dose", administeredAt: "2026-03-02T09:00" }),
        scoreView({ id: 2, total: 18, timepoint: "peak", administeredAt: "2026-03-02T09:40" }),
        scoreView({ id: 3, total: 1, timepoint: "pre_dose", administeredAt: "2026-03-05T09:00" }),
      ],
    });
    expect(chartData(t).series.map((s) => [s.label, s.points.map((p) => p.y)])).toEqual([
      ["Before the dose", [2, 1]],
      ["At the peak", [18]],
    ]);
  });

  test("scores without a total are left off the chart; a range comes from the points", () => {
    const t = trendView({
      bands: [],
      totalMin: null,
      totalMax: null,
      points: [
        scoreView({ id: 1, total: 30, administeredAt: "2026-03-02T09:30" }),
        scoreView({ id: 2, total: null, administeredAt: "2026-03-03T09:30" }),
      ],
    });
    const data = chartData(t);
    expect(data.series[0]?.points.map((p) => p.id)).toEqual([1]);
    expect(data.yMin).toBe(0);
    expect(data.yMax).toBe(30);
  });
});
