import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test, vi } from "vitest";
import type { TrialForm as TrialFormPayload } from "../lib/bindings";
import { callsOf, drugOption, mockCommands, record, trialRow } from "../test/ipc";
import TrialForm from "./TrialForm.svelte";

afterEach(() => clearMocks());

const dana = record({ id: 7 });
const DRUGS = [
  drugOption(),
  drugOption({
    id: "bupropion",
    name: "bupropion",
    aliases: ["Wellbutrin"],
    classLabel: "NDRI",
    minTherapeutic: 150,
    verified: false,
  }),
];

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no element #${id}`);
  return el;
}

function searchDrugs(args: Record<string, unknown>) {
  const q = String(args["query"] ?? "").toLowerCase();
  return DRUGS.filter((d) => d.name.startsWith(q));
}

test("a validation error shows the summary, inline errors on the right boxes and kept values", async () => {
  const user = userEvent.setup();
  mockCommands({
    search_drugs: searchDrugs,
    create_trial: () => {
      throw {
        code: "Validation",
        message: "The trial has 3 problems",
        fields: [
          { field: "startDate", message: "Start date must include a year" },
          { field: "doses.1.daily", message: "Daily dose must be a number, like 150" },
          { field: "outcome", message: "Select the outcome" },
        ],
      };
    },
  });
  const onsaved = vi.fn();
  render(TrialForm, { patient: dana, onsaved, oncancel: vi.fn() });

  await user.type(byId("trial-drug"), "sertraline");
  await user.type(byId("trial-startDate"), "May");
  await user.type(byId("trial-doses-0-daily"), "50");
  await user.click(byId("add-dose"));
  await user.type(byId("trial-doses-1-from"), "2021-06");
  await user.type(byId("trial-doses-1-daily"), "lots");
  await user.click(screen.getByRole("button", { name: "Save trial" }));

  const summary = await screen.findByRole("alert");
  expect(summary).toHaveAttribute("id", "error-summary");
  expect(summary).toHaveFocus();
  const h1 = screen.getByRole("heading", { level: 1, name: "Add a medication trial" });
  expect(summary.compareDocumentPosition(h1) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  expect(
    within(summary)
      .getAllByRole("link")
      .map((a) => a.getAttribute("href")),
  ).toEqual(["#trial-startDate", "#trial-doses-1-daily", "#trial-outcome"]);

  expect(byId("trial-startDate-error")).toHaveTextContent("Error: Start date must include a year");
  expect(byId("trial-doses-1-daily-error")).toHaveTextContent(
    "Error: Daily dose must be a number, like 150",
  );
  expect(byId("trial-outcome-error")).toHaveTextContent("Error: Select the outcome");
  expect(byId("trial-doses-1-daily")).toHaveAttribute("aria-invalid", "true");
  expect(byId("trial-doses-0-daily")).not.toHaveAttribute("aria-invalid");
  expect(byId("trial-doses-1-daily")).toHaveValue("lots");
  expect(byId("trial-startDate")).toHaveValue("May");
  expect(document.title).toBe("Error: Add a medication trial – KetaChart");
  expect(onsaved).not.toHaveBeenCalled();

  await user.click(within(summary).getByRole("link", { name: /Daily dose/ }));
  expect(byId("trial-doses-1-daily")).toHaveFocus();
});

test("a successful save sends the typed form, with the first dose starting at the start date", async () => {
  const user = userEvent.setup();
  const saved = trialRow();
  const calls = mockCommands({ search_drugs: searchDrugs, create_trial: () => saved });
  const onsaved = vi.fn();
  render(TrialForm, { patient: dana, onsaved, oncancel: vi.fn() });

  await user.type(byId("trial-drug"), "sertraline");
  expect(await screen.findByText(/SSRI · minimum therapeutic dose 50 mg a day/)).toBeVisible();
  await user.click(screen.getByRole("radio", { name: "Monotherapy" }));
  await user.type(byId("trial-startDate"), "2024-10");
  await user.type(byId("trial-stopDate"), "2024-12-20");
  await user.type(byId("trial-doses-0-daily"), "50");
  await user.click(byId("add-dose"));
  await user.type(byId("trial-doses-1-from"), "2024-10-15");
  await user.type(byId("trial-doses-1-daily"), "200");
  await user.type(byId("trial-adherencePercent"), "90");
  await user.click(screen.getByRole("radio", { name: "Yes" }));
  await user.selectOptions(byId("trial-adherenceSource"), "pharmacy_fills");
  await user.selectOptions(byId("trial-outcome"), "no_response");
  await user.type(byId("trial-reasonStopped"), "No benefit");
  await user.click(byId("trial-currentEpisode"));
  await user.type(byId("trial-sourceNote"), "Outside records, Dr X, received 2026-03-02");
  await user.click(byId("save-trial"));

  await waitFor(() => expect(onsaved).toHaveBeenCalledWith(saved));
  const expected: TrialFormPayload = {
    drug: "sertraline",
    role: "monotherapy",
    startDate: "2024-10",
    stopDate: "2024-12-20",
    ongoing: false,
    doses: [
      { from: "2024-10", daily: "50" },
      { from: "2024-10-15", daily: "200" },
    ],
    adherencePercent: "90",
    adherent: true,
    adherenceSource: "pharmacy_fills",
    outcome: "no_response",
    adverseEffect: "",
    reasonStopped: "No benefit",
    currentEpisode: true,
    sourceNote: "Outside records, Dr X, received 2026-03-02",
    scoreInstrument: "",
    preScore: "",
    postScore: "",
  };
  expect(callsOf(calls, "create_trial")).toEqual([{ patientId: 7, form: expected }]);
});

test("a rating scale with scores before and after is sent as typed", async () => {
  const user = userEvent.setup();
  const saved = trialRow({ scoreInstrument: "PHQ-9", preScore: 21, postScore: 19.5 });
  const calls = mockCommands({ search_drugs: searchDrugs, create_trial: () => saved });
  const onsaved = vi.fn();
  render(TrialForm, { patient: dana, onsaved, oncancel: vi.fn() });

  expect(screen.getByRole("group", { name: "Scores (optional)" })).toBeVisible();
  await user.type(byId("trial-drug"), "sertraline");
  await user.type(byId("trial-startDate"), "2024-10");
  await user.type(byId("trial-doses-0-daily"), "100");
  await user.type(screen.getByLabelText(/Rating scale \(optional\)/), "PHQ-9");
  await user.type(screen.getByLabelText(/Score before \(optional\)/), "21");
  await user.type(screen.getByLabelText(/Score after \(optional\)/), "19.5");
  await user.click(byId("save-trial"));

  await waitFor(() => expect(onsaved).toHaveBeenCalledWith(saved));
  const [args] = callsOf(calls, "create_trial");
  expect(args).toMatchObject({
    patientId: 7,
    form: {
      drug: "sertraline",
      startDate: "2024-10",
      doses: [{ from: "2024-10", daily: "100" }],
      scoreInstrument: "PHQ-9",
      preScore: "21",
      postScore: "19.5",
    },
  });
});

test("a score the core refuses is shown on its box", async () => {
  const user = userEvent.setup();
  mockCommands({
    search_drugs: searchDrugs,
    create_trial: () => {
      throw {
        code: "Validation",
        message: "The trial has a problem",
        fields: [{ field: "preScore", message: "Score before must be a number, like 21" }],
      };
    },
  });
  render(TrialForm, { patient: dana, onsaved: vi.fn(), oncancel: vi.fn() });
  await user.type(byId("trial-preScore"), "high");
  await user.click(byId("save-trial"));
  const summary = await screen.findByRole("alert");
  expect(within(summary).getByRole("link")).toHaveAttribute("href", "#trial-preScore");
  expect(byId("trial-preScore-error")).toHaveTextContent(
    "Error: Score before must be a number, like 21",
  );
  expect(byId("trial-preScore")).toHaveValue("high");
});

test("editing prefills the stored scores", async () => {
  mockCommands({ search_drugs: searchDrugs });
  const trial = trialRow({ scoreInstrument: "MADRS", preScore: 32, postScore: 30 });
  render(TrialForm, { patient: dana, trial, onsaved: vi.fn(), oncancel: vi.fn() });
  expect(byId("trial-scoreInstrument")).toHaveValue("MADRS");
  expect(byId("trial-preScore")).toHaveValue("32");
  expect(byId("trial-postScore")).toHaveValue("30");
});

test("an unverified reference figure is labelled UNVERIFIED", async () => {
  const user = userEvent.setup();
  mockCommands({ search_drugs: searchDrugs });
  render(TrialForm, { patient: dana, onsaved: vi.fn(), oncancel: vi.fn() });
  await user.type(byId("trial-drug"), "Wellbutrin");
  const info = byId("trial-drug-info");
  await waitFor(() => expect(info).toHaveTextContent("bupropion: NDRI"));
  expect(info).toHaveTextContent("minimum therapeutic dose 150 mg a day");
  expect(info).toHaveTextContent("UNVERIFIED");
});

test("editing prefills the stored partial dates and saves with updateTrial and the version", async () => {
  const user = userEvent.setup();
  const trial = trialRow({
    startDate: "2021-05",
    startDisplay: "May-2021",
    stopDate: "2021",
    stopDisplay: "2021",
    doses: [{ from: "2021-05", fromDisplay: "May-2021", daily: 100 }],
  });
  const calls = mockCommands({ search_drugs: searchDrugs, update_trial: () => trial });
  const onsaved = vi.fn();
  render(TrialForm, { patient: dana, trial, onsaved, oncancel: vi.fn() });

  expect(screen.getByRole("heading", { level: 1, name: "Edit sertraline trial" })).toBeVisible();
  expect(byId("trial-startDate")).toHaveValue("2021-05");
  expect(byId("trial-stopDate")).toHaveValue("2021");
  expect(byId("trial-doses-0-from")).toHaveValue("2021-05");
  expect(byId("trial-doses-0-daily")).toHaveValue("100");
  expect(byId("trial-outcome")).toHaveValue("no_response");

  await user.click(byId("save-trial"));
  await waitFor(() => expect(onsaved).toHaveBeenCalledWith(trial));
  const [args] = callsOf(calls, "update_trial");
  expect(args).toMatchObject({
    id: 11,
    version: 2,
    form: { startDate: "2021-05", stopDate: "2021" },
  });
});

test("a conflict shows a banner and keeps the form", async () => {
  const user = userEvent.setup();
  mockCommands({
    search_drugs: searchDrugs,
    update_trial: () => {
      throw { code: "Conflict", message: "This trial was changed by Jo Reyes" };
    },
  });
  const onsaved = vi.fn();
  render(TrialForm, { patient: dana, trial: trialRow(), onsaved, oncancel: vi.fn() });
  await user.click(byId("save-trial"));
  expect(await screen.findByText("This trial was changed by Jo Reyes")).toBeVisible();
  expect(byId("trial-conflict")).toHaveTextContent("Someone else changed this trial");
  expect(document.getElementById("error-summary")).toBeNull();
  expect(onsaved).not.toHaveBeenCalled();
});

test("Cancel returns to the chart", async () => {
  const user = userEvent.setup();
  mockCommands({ search_drugs: searchDrugs });
  const oncancel = vi.fn();
  render(TrialForm, { patient: dana, onsaved: vi.fn(), oncancel });
  await user.click(screen.getByRole("button", { name: "Cancel" }));
  expect(oncancel).toHaveBeenCalled();
});
