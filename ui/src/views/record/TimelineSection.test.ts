import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import type { TimelineSpan } from "../../lib/bindings";
import { chartRecord, episode, timelineSpan } from "../../test/chart";
import { callsOf, ipcError, mockCommands, type Handler } from "../../test/ipc";
import { RecordStore } from "./store.svelte";
import TimelineSection from "./TimelineSection.svelte";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(2026, 2, 15, 10, 0));
});

afterEach(() => {
  vi.useRealTimers();
  clearMocks();
});

const episodeSpan = timelineSpan({
  lane: "episode",
  label: "Episode (current)",
  start: "2023-05",
  startDisplay: "May-2023",
  startEarliest: "2023-05-01",
  end: null,
  endDisplay: null,
  endLatest: null,
  ongoing: true,
});
const sertraline = timelineSpan();
const citalopram = timelineSpan({
  label: "citalopram",
  start: "2021",
  startDisplay: "2021",
  startEarliest: "2021-01-01",
  end: null,
  endDisplay: null,
  endLatest: null,
});
const cbt = timelineSpan({
  lane: "psychotherapy",
  label: "Cognitive behavioural therapy",
  start: "2024-09-02",
  startDisplay: "02-Sep-2024",
  startEarliest: "2024-09-02",
  end: "2025-03",
  endDisplay: "Mar-2025",
  endLatest: "2025-03-31",
});
const tms = timelineSpan({
  lane: "other_treatment",
  label: "TMS",
  start: "2022-03",
  startDisplay: "Mar-2022",
  startEarliest: "2022-03-01",
  end: "2022-05-20",
  endDisplay: "20-May-2022",
  endLatest: "2022-05-20",
});
const ALL = [citalopram, tms, episodeSpan, cbt, sertraline];

function setup(handlers: Record<string, Handler> = {}) {
  const calls = mockCommands({ patient_timeline: () => ALL, ...handlers });
  const store = new RecordStore(7);
  render(TimelineSection, { patientId: 7, store });
  return { calls, store };
}

function cells(row: Element): string[] {
  return Array.from((row as HTMLTableRowElement).cells).map(
    (c) => c.textContent?.replace(/\s+/g, " ").trim() ?? "",
  );
}

function chartRows(): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>("#timeline-chart .tl-span"));
}

function segs(row: HTMLElement): { kind: string; open: boolean; left: number; width: number }[] {
  return Array.from(row.querySelectorAll<HTMLElement>(".seg")).map((s) => ({
    kind: Array.from(s.classList)
      .find((c) => /^seg--(known|uncertain|unknown)$/.test(c))
      ?.slice(5) as string,
    open: s.classList.contains("seg--open"),
    left: parseFloat(s.style.left),
    width: parseFloat(s.style.width),
  }));
}

test("the table lists every span in words, with partial dates labelled", async () => {
  const { calls } = setup();
  const table = await screen.findByRole("table", { name: "Timeline of trials and episodes" });
  expect(callsOf(calls, "patient_timeline")).toEqual([{ patientId: 7 }]);
  for (const th of table.querySelectorAll("thead th")) expect(th).toHaveAttribute("scope", "col");
  const rows = within(table).getAllByRole("row").slice(1);
  expect(rows.map(cells)).toEqual([
    ["citalopram", "Medication trial", "2021 (year only)", "Not recorded"],
    ["TMS", "Other treatment", "Mar-2022 (month only)", "20-May-2022"],
    ["Episode (current)", "Depressive episode", "May-2023 (month only)", "Ongoing"],
    ["Cognitive behavioural therapy", "Psychotherapy", "02-Sep-2024", "Mar-2025 (month only)"],
    ["sertraline", "Medication trial", "01-Oct-2024", "20-Dec-2024"],
  ]);
  expect(within(rows[0] as HTMLElement).getByText("Not recorded")).toHaveClass("secondary");
});

test("the chart draws one row per span on a shared axis of years up to today", async () => {
  setup();
  await screen.findByRole("table");
  const chart = document.getElementById("timeline-chart") as HTMLElement;
  // Screen readers read the table instead of the picture.
  expect(chart).toHaveAttribute("aria-hidden", "true");
  expect(Array.from(chart.querySelectorAll(".tl-tick")).map((t) => t.textContent?.trim())).toEqual([
    "2021",
    "2022",
    "2023",
    "2024",
    "2025",
    "2026",
  ]);
  expect(chart.querySelector(".tl-today-label")).toHaveTextContent("Today");

  const rows = chartRows();
  expect(rows).toHaveLength(5);
  // The kind is in words beside every bar, never only in its colour.
  expect(rows.map((r) => r.querySelector(".tl-kind")?.textContent?.trim())).toEqual([
    "Medication trial",
    "Other treatment",
    "Depressive episode",
    "Psychotherapy",
    "Medication trial",
  ]);
  expect(rows[2]).toHaveClass("lane--episode");
  expect(rows[1]).toHaveClass("lane--other-treatment");
  expect(rows[2]?.getAttribute("title")).toBe(
    "Episode (current), depressive episode: May-2023 (month only) to ongoing (start known to the month only)",
  );
});

test("partial dates are hatched over the month or year they can mean, never a precise day", async () => {
  setup();
  await screen.findByRole("table");
  const [cit, tmsRow, ep, therapy, sert] = chartRows() as HTMLElement[];

  // A year-only start with no recorded end: a hatched year, then a fading "not known" tail.
  const c = segs(cit as HTMLElement);
  expect(c.map((s) => s.kind)).toEqual(["uncertain", "unknown"]);
  expect(c[0]?.left).toBe(0);
  expect(c[0]?.width).toBeCloseTo((365 / 2191) * 100, 1);
  expect(cit?.getAttribute("title")).toContain("end not recorded");

  // A month-only start, then known days to an exact end.
  expect(segs(tmsRow as HTMLElement).map((s) => s.kind)).toEqual(["uncertain", "known"]);

  // Ongoing: hatched start month, then known to today with an open end.
  const e = segs(ep as HTMLElement);
  expect(e.map((s) => [s.kind, s.open])).toEqual([
    ["uncertain", false],
    ["known", true],
  ]);
  const todayAt = parseFloat((document.querySelector(".tl-today") as HTMLElement).style.left);
  const last = e[1] as { left: number; width: number };
  expect(last.left + last.width).toBeCloseTo(todayAt + (1 / 2191) * 100, 1);

  // Exact start, month-only end: known days then the hatched end month.
  expect(segs(therapy as HTMLElement).map((s) => s.kind)).toEqual(["known", "uncertain"]);
  // Exact dates throughout: one solid bar.
  expect(segs(sert as HTMLElement).map((s) => s.kind)).toEqual(["known"]);
});

test("the legend explains every kind of mark in words", async () => {
  setup();
  await screen.findByRole("table");
  expect(
    Array.from(document.querySelectorAll(".tl-legend li")).map((li) => li.textContent?.trim()),
  ).toEqual(["Dates known", "Known only to the month or year", "Ongoing", "End not recorded"]);
});

test("the timeline is read again after a chart record is saved", async () => {
  let answer: TimelineSpan[] = [sertraline];
  const { calls, store } = setup({ patient_timeline: () => answer });
  await screen.findByRole("table");
  expect(chartRows()).toHaveLength(1);
  answer = [episodeSpan, sertraline];
  store.put(chartRecord(episode(), { id: 90 }));
  await waitFor(() => expect(chartRows()).toHaveLength(2));
  expect(callsOf(calls, "patient_timeline")).toHaveLength(2);
  expect(screen.getByRole("table")).toHaveTextContent("Episode (current)");
});

test("with nothing recorded, the section says what will appear", async () => {
  setup({ patient_timeline: () => [] });
  const empty = await screen.findByText(/Nothing to show on the timeline yet/);
  expect(empty).toHaveAttribute("id", "timeline-empty");
  expect(screen.queryByRole("table")).toBeNull();
  expect(document.getElementById("timeline-chart")).toBeNull();
});

test("a refusal from the core is shown in the section", async () => {
  setup({ patient_timeline: () => ipcError("NotFound", "This patient is no longer in the vault") });
  expect(await screen.findByText("This patient is no longer in the vault")).toHaveAttribute(
    "id",
    "timeline-problem",
  );
});

test("an app-level failure gives a plain message, not the details", async () => {
  setup({ patient_timeline: () => ipcError("Internal", "database disk image is malformed") });
  expect(await screen.findByText("The timeline could not be shown")).toBeVisible();
  expect(screen.queryByText(/malformed/)).toBeNull();
});

test("the section is titled and reachable from the section links", async () => {
  setup();
  const heading = await screen.findByRole("heading", { level: 2, name: "Timeline" });
  expect(heading.closest("section")).toHaveAttribute("id", "chart-timeline");
});
