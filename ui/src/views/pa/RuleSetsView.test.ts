import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test, vi } from "vitest";
import { liveRegion } from "../../lib/announce.svelte";
import { callsOf, mockCommands, type Handler } from "../../test/ipc";
import RuleSetsView from "./RuleSetsView.svelte";
import { ALL_RULE_SETS, aetnaKetamine, clinicTms, ruleSet } from "./test-fixtures";

afterEach(() => clearMocks());

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no #${id}`);
  return el;
}

function setup(handlers: Record<string, Handler> = {}) {
  const calls = mockCommands({ list_rule_sets: () => ALL_RULE_SETS, ...handlers });
  const onback = vi.fn();
  const onimported = vi.fn();
  render(RuleSetsView, { onback, onimported });
  return { calls, onback, onimported };
}

function cells(row: HTMLElement): string[] {
  return Array.from((row as HTMLTableRowElement).cells).map(
    (c) => c.textContent?.replace(/\s+/g, " ").trim() ?? "",
  );
}

const FILE = '{\n  "format": "ketachart-pa-rules",\n  "ruleSets": []\n}\n';

test("lists every rule set with its review state, coverage and source in words", async () => {
  setup();
  expect(screen.getByRole("heading", { level: 1, name: "Payer rule sets" })).toHaveFocus();
  const table = await waitFor(() => byId("rule-sets-table"));
  expect(table.querySelector("caption")).toHaveTextContent("5 rule sets, by payer");
  expect(
    within(table)
      .getAllByRole("columnheader")
      .map((h) => h.textContent),
  ).toEqual([
    "Payer and policy",
    "Service",
    "Version",
    "Effective",
    "Review",
    "Coverage",
    "Source",
  ]);
  const rows = Array.from(table.querySelectorAll<HTMLElement>("tr.rule-set-row"));
  expect(cells(rows[0] as HTMLElement)).toEqual([
    "Aetna CPB 0938 Ketamine",
    "IV ketamine infusion",
    "1",
    "From 01-Jan-2024",
    "Requires review",
    `⊘ Not covered ${aetnaKetamine.notCoveredReason}`,
    "Bundled with KetaChart",
  ]);
  expect(cells(rows[3] as HTMLElement)).toEqual([
    "Cigna Spravato (esketamine nasal spray)",
    "Spravato (esketamine) for treatment-resistant depression",
    "2025-01",
    "From 21-Jan-2025",
    "✓ Verified",
    "Covered",
    "Bundled with KetaChart",
  ]);
  expect(cells(rows[4] as HTMLElement)).toEqual([
    "Harbour Health Plan TMS medical policy",
    "Transcranial magnetic stimulation (TMS)",
    "3",
    "01-Jan-2026 to 31-Dec-2026",
    "✓ Verified",
    "Covered",
    `Clinic file ${clinicTms.clinicFile}`,
  ]);
  expect(within(rows[0] as HTMLElement).getByText("Requires review")).toHaveClass("tag");
  expect(document.title).toBe("Payer rule sets – KetaChart");
});

test("a file with problems lists every problem with its line, and nothing is imported", async () => {
  const user = userEvent.setup();
  const problems = [
    'line 3: "service" must be one of spravato_trd, spravato_mdsi, tms, iv_ketamine',
    'line 9: "effectiveFrom" must be a date (YYYY-MM-DD)',
    'line 14: unknown field "minimumAge"',
  ];
  const { calls, onimported } = setup({
    import_rule_file: () => {
      throw {
        code: "Validation",
        message: "3 problems",
        fields: problems.map((message) => ({ field: "file", message })),
      };
    },
  });
  await waitFor(() => byId("rule-sets-table"));
  const input = screen.getByLabelText("Rule-set file");
  expect(input).toHaveAttribute("type", "file");
  expect(input).toHaveAttribute("accept", ".json,application/json");
  await user.upload(input, new File([FILE], "clinic-rules.json", { type: "application/json" }));
  await user.click(screen.getByRole("button", { name: "Import rule-set file" }));

  await waitFor(() => expect(callsOf(calls, "import_rule_file")).toHaveLength(1));
  expect(callsOf(calls, "import_rule_file")[0]).toEqual({
    name: "clinic-rules.json",
    content: FILE,
  });
  const summary = await screen.findByRole("alert");
  expect(summary).toHaveFocus();
  expect(summary).toHaveTextContent("There is a problem");
  // Every problem, not just the first.
  expect(
    within(summary)
      .getAllByRole("link")
      .map((a) => [a.textContent, a.getAttribute("href")]),
  ).toEqual(problems.map((p) => [p, "#rule-file"]));
  const inline = byId("rule-file-error");
  expect(
    within(inline)
      .getAllByRole("listitem")
      .map((li) => li.textContent),
  ).toEqual(problems);
  expect(input).toHaveAttribute("aria-invalid", "true");
  expect(document.title).toBe("Error: Payer rule sets – KetaChart");
  expect(document.getElementById("rule-import-success")).toBeNull();
  expect(onimported).not.toHaveBeenCalled();
});

test("without a file, the import asks for one", async () => {
  const user = userEvent.setup();
  const { calls } = setup();
  await user.click(await screen.findByRole("button", { name: "Import rule-set file" }));
  const summary = await screen.findByRole("alert");
  expect(within(summary).getByRole("link", { name: "Select a rule-set file" })).toHaveAttribute(
    "href",
    "#rule-file",
  );
  expect(byId("rule-file-error")).toHaveTextContent("Error: Select a rule-set file");
  expect(callsOf(calls, "import_rule_file")).toEqual([]);
});

test("an imported file's rule sets are listed in the success banner and the table", async () => {
  const user = userEvent.setup();
  const added = ruleSet({
    id: "harbour-spravato",
    version: "1",
    payer: "Harbour Health Plan",
    policy: "Spravato policy",
    verified: false,
    clinicFile: "harbour.json",
  });
  let lists = 0;
  const { calls, onimported } = setup({
    list_rule_sets: () => {
      lists += 1;
      return lists === 1 ? ALL_RULE_SETS : [...ALL_RULE_SETS, added];
    },
    import_rule_file: () => ({ imported: [added] }),
  });
  await waitFor(() => byId("rule-sets-table"));
  await user.upload(
    screen.getByLabelText("Rule-set file"),
    new File([FILE], "harbour.json", { type: "application/json" }),
  );
  await user.click(screen.getByRole("button", { name: "Import rule-set file" }));

  const banner = await waitFor(() => byId("rule-import-success"));
  expect(banner).toHaveTextContent("1 rule set imported from harbour.json:");
  expect(within(banner).getByRole("listitem")).toHaveTextContent(
    "Harbour Health Plan — Spravato policy (version 1, requires review)",
  );
  expect(onimported).toHaveBeenCalledWith([added]);
  await waitFor(() => expect(callsOf(calls, "list_rule_sets")).toHaveLength(2));
  await waitFor(() =>
    expect(byId("rule-sets-table").querySelector("caption")).toHaveTextContent("6 rule sets"),
  );
  expect(screen.queryByRole("alert")).toBeNull();
  await waitFor(() => expect(liveRegion.text).toBe("1 rule set imported from harbour.json"));
});

test("Back to payers leaves the view", async () => {
  const user = userEvent.setup();
  const { onback } = setup();
  await user.click(screen.getByRole("button", { name: "Back to payers" }));
  expect(onback).toHaveBeenCalledTimes(1);
});
