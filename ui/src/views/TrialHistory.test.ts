import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test, vi } from "vitest";
import { BILLING, CLINICIAN, ADMIN, callsOf, mockCommands, record, trialRow } from "../test/ipc";
import PatientRecordView from "./PatientRecordView.svelte";

afterEach(() => clearMocks());

const dana = record({ id: 7 });

const citalopram = trialRow({
  id: 12,
  drugId: null,
  drugName: "citalopram",
  classLabel: null,
  startDate: "2021",
  startDisplay: "2021",
  stopDate: null,
  stopDisplay: null,
  doses: [{ from: "2021", fromDisplay: "2021", daily: 20 }],
  maxDaily: 20,
  atTherapeutic: { minDays: 30, maxDays: 364, certainWeeks: 4, maxWeeks: 52 },
  adherent: null,
  adherenceSource: null,
  outcome: "intolerance",
  adverseEffect: "nausea",
  currentEpisode: false,
  flags: ["no stop date", "dose below therapeutic minimum"],
});

const aripiprazole = trialRow({
  id: 13,
  drugId: "aripiprazole",
  drugName: "aripiprazole",
  classLabel: "Atypical antipsychotic",
  augmentationAgent: true,
  role: "augmentation",
  unit: "mg",
  maxDaily: 2.5,
  ongoing: true,
  stopDate: null,
  stopDisplay: null,
  atTherapeutic: null,
  adherent: null,
  adherencePercent: 80,
  adherenceSource: "patient_report",
  outcome: null,
});

function renderRecord(
  permissions: typeof CLINICIAN,
  trials = [trialRow(), citalopram, aripiprazole],
) {
  const calls = mockCommands({ list_trials: () => trials });
  const onaddtrial = vi.fn();
  const onedittrial = vi.fn();
  render(PatientRecordView, {
    id: 7,
    record: dana,
    readClinical: permissions.readClinical,
    editClinical: permissions.editClinical,
    onedit: vi.fn(),
    onback: vi.fn(),
    onaddtrial,
    onedittrial,
  });
  return { calls, onaddtrial, onedittrial };
}

function rows(): HTMLTableRowElement[] {
  return Array.from(document.querySelectorAll<HTMLTableRowElement>("#trial-table tr.trial-row"));
}

test("lists the trials in a captioned table with scoped headers, one row per trial", async () => {
  const { calls } = renderRecord(CLINICIAN);
  const table = await screen.findByRole("table");
  expect(table).toHaveAttribute("id", "trial-table");
  expect(callsOf(calls, "list_trials")).toEqual([{ patientId: 7 }]);
  expect(table.querySelector("caption")).toHaveTextContent(
    "Medication trials: 3 trials, 1 with facts to check",
  );
  for (const th of table.querySelectorAll("thead th")) expect(th).toHaveAttribute("scope", "col");
  expect(rows()).toHaveLength(3);

  const [sertraline, cit, ari] = rows().map((r) =>
    Array.from(r.cells).map((c) => c.textContent?.replace(/\s+/g, " ").trim()),
  );
  expect(sertraline).toEqual([
    "sertraline SSRI Monotherapy",
    "01-Oct-2024 – 20-Dec-2024 Current episode",
    "200 mg",
    "11 wk",
    "Adherent Pharmacy fills",
    "No response",
    "Not recorded",
    "Edit",
  ]);
  expect(cit?.[0]).toContain("Class unknown");
  expect(cit?.[1]).toBe("2021 – stop date not recorded Not the current episode");
  expect(cit?.[5]).toBe("Intolerance: nausea");
  expect(ari?.[0]).toContain("Atypical antipsychotic · augmentation Augmentation");
  expect(ari?.[1]).toContain("– ongoing");
  expect(ari?.[2]).toBe("2.5 mg");
  expect(ari?.[4]).toBe("80% Patient report");
  expect(ari?.[5]).toBe("Not recorded");
  expect(
    Array.from(table.querySelectorAll("thead th")).map((th) => th.textContent?.trim()),
  ).toEqual([
    "Medication and role",
    "Dates and episode",
    "Max daily dose",
    "Weeks at ≥ therapeutic dose",
    "Adherence",
    "Outcome",
    "Scores",
    "Actions",
  ]);
  expect(screen.getByText(/bundled reference and require clinical review/)).toBeInTheDocument();
});

test("pre and post scores show with the change and the rating scale", async () => {
  renderRecord(CLINICIAN, [
    trialRow({ scoreInstrument: "PHQ-9", preScore: 21, postScore: 19.5, scoreChangePercent: 7.14 }),
    trialRow({ id: 14, preScore: 30, postScore: null, scoreChangePercent: null }),
  ]);
  await screen.findByRole("table");
  const scores = rows().map((r) => r.querySelector(".trial-scores")?.textContent);
  expect(scores[0]?.replace(/\s+/g, " ").trim()).toBe("21 → 19.5 (\u22127%) PHQ-9");
  expect(scores[1]?.replace(/\s+/g, " ").trim()).toBe("30 → not recorded");
});

test("a clinic dose floor is named under the weeks", async () => {
  renderRecord(CLINICIAN, [trialRow({ floorFromClinic: true })]);
  await screen.findByRole("table");
  expect(rows()[0]?.querySelector(".trial-weeks")).toHaveTextContent("11 wk clinic floor");
  expect(screen.getByText(/marked "clinic floor" use the clinic's own minimum dose/)).toBeVisible();
});

test("uncertain weeks say 'at least', unknown weeks show a dash", async () => {
  renderRecord(CLINICIAN);
  await screen.findByRole("table");
  const weeks = rows().map((r) => r.querySelector(".trial-weeks")?.textContent?.trim());
  expect(weeks[0]).toBe("11 wk");
  expect(weeks[1]).toBe("at least 4 wk (up to 52)");
  expect(weeks[2]).toContain("—");
});

test("flags show in the row as text tags", async () => {
  renderRecord(CLINICIAN);
  await screen.findByRole("table");
  const row = rows()[1] as HTMLTableRowElement;
  const list = within(row).getByRole("list", { name: "Facts to check" });
  expect(
    within(list)
      .getAllByRole("listitem")
      .map((li) => li.textContent?.trim()),
  ).toEqual(["⚠no stop date", "⚠dose below therapeutic minimum"]);
  expect(within(rows()[0] as HTMLTableRowElement).queryByRole("list")).toBeNull();
});

test("a clinician can add and edit trials", async () => {
  const user = userEvent.setup();
  const { onaddtrial, onedittrial } = renderRecord(CLINICIAN);
  await screen.findByRole("table");
  expect(document.querySelectorAll(".edit-trial")).toHaveLength(3);
  await user.click(screen.getByRole("button", { name: "Add a medication trial" }));
  expect(onaddtrial).toHaveBeenCalledWith(dana);
  await user.click(screen.getByRole("button", { name: "Edit citalopram trial" }));
  expect(onedittrial).toHaveBeenCalledWith(dana, citalopram);
});

test("billing sees the trials but cannot add or edit them", async () => {
  renderRecord(BILLING);
  await screen.findByRole("table");
  expect(rows()).toHaveLength(3);
  expect(document.getElementById("add-trial")).toBeNull();
  expect(document.querySelector(".edit-trial")).toBeNull();
});

test("an administrator without clinical access does not see the section", async () => {
  const { calls } = renderRecord(ADMIN);
  await screen.findByRole("heading", { level: 1, name: "ROSSI, Dana" });
  expect(document.getElementById("treatment-history")).toBeNull();
  expect(callsOf(calls, "list_trials")).toEqual([]);
});

test("with no trials, the section says so instead of showing an empty table", async () => {
  renderRecord(CLINICIAN, []);
  expect(await screen.findByText(/No medication trials recorded yet/)).toBeInTheDocument();
  expect(document.getElementById("trial-table")).toBeNull();
});
