import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent, { type UserEvent } from "@testing-library/user-event";
import { createRawSnippet } from "svelte";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { liveRegion } from "../../lib/announce.svelte";
import type { CheckArgs, EvaluationView, RecordView, RuleSetView } from "../../lib/bindings";
import { chartRecord, coverage } from "../../test/chart";
import { callsOf, mockCommands, type Handler } from "../../test/ipc";
import { RecordStore } from "../record/store.svelte";
import PriorAuthSection from "./PriorAuthSection.svelte";
import { ALL_RULE_SETS, aetnaKetamine, criterion, evaluation } from "./test-fixtures";

const scrollIntoView = vi.fn();
const original = Element.prototype.scrollIntoView;

beforeEach(() => {
  scrollIntoView.mockClear();
  Element.prototype.scrollIntoView = scrollIntoView;
});

afterEach(() => {
  clearMocks();
  Element.prototype.scrollIntoView = original;
  document.querySelectorAll("[data-fake-chart]").forEach((el) => el.remove());
});

type Checked = { evaluation: EvaluationView; args: CheckArgs };

function setup(
  opts: {
    ruleSets?: RuleSetView[];
    records?: RecordView[];
    handlers?: Record<string, Handler>;
    withTracker?: boolean;
  } = {},
) {
  const calls = mockCommands({
    list_rule_sets: () => opts.ruleSets ?? ALL_RULE_SETS,
    list_records: () => opts.records ?? [chartRecord(coverage({ payerId: 1 }), { id: 21 })],
    payer_rule_links: (args) => ({
      payerId: args.payerId,
      ruleSetIds: ["carefirst-spravato-trd"],
    }),
    pa_check: () => evaluation(),
    ...opts.handlers,
  });
  const store = new RecordStore(7);
  const onEvaluated = vi.fn();
  const tracker = createRawSnippet((checked: () => Checked) => ({
    render: () =>
      `<p id="fake-tracker">Request for ${checked().evaluation.payer}, ${checked().args.ruleSetId}</p>`,
  }));
  render(PriorAuthSection, {
    patientId: 7,
    store,
    onEvaluated,
    tracker: opts.withTracker ? tracker : undefined,
  });
  void store.load();
  return { calls, onEvaluated };
}

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no #${id}`);
  return el;
}

async function typeDate(user: UserEvent, month: string, day: string, year: string) {
  for (const [part, value] of [
    ["month", month],
    ["day", day],
    ["year", year],
  ] as const) {
    await user.clear(byId(`pa-date-${part}`));
    if (value) await user.type(byId(`pa-date-${part}`), value);
  }
}

async function checkCigna(user: UserEvent) {
  await user.selectOptions(await screen.findByLabelText("Service"), "spravato_trd");
  await user.selectOptions(screen.getByLabelText("Payer policy"), "cigna-spravato-trd");
  await typeDate(user, "3", "27", "2026");
  await user.click(screen.getByRole("button", { name: "Check" }));
}

function criterionRows(): HTMLTableRowElement[] {
  return Array.from(byId("pa-criteria").querySelectorAll<HTMLTableRowElement>("tr.pa-criterion"));
}

test("a check shows the verdict and each criterion's status as a symbol and a word, with fixes", async () => {
  const user = userEvent.setup();
  const { calls, onEvaluated } = setup({ withTracker: true });
  expect(
    await screen.findByRole("heading", { level: 2, name: "Prior authorization" }),
  ).toBeVisible();
  await screen.findByLabelText("Service");
  // The date of service starts as today.
  const today = new Date();
  expect(byId("pa-date-year")).toHaveValue(String(today.getFullYear()));
  expect(byId("pa-date-month")).toHaveValue(String(today.getMonth() + 1));

  await checkCigna(user);

  await waitFor(() => expect(callsOf(calls, "pa_check")).toHaveLength(1));
  const args: CheckArgs = {
    patientId: 7,
    ruleSetId: "cigna-spravato-trd",
    ruleSetVersion: null,
    service: "spravato_trd",
    on: "2026-03-27",
    orderingProviderId: null,
  };
  expect(callsOf(calls, "pa_check")[0]).toEqual({ args });

  const verdict = await waitFor(() => byId("pa-verdict"));
  expect(within(verdict).getByRole("heading", { level: 4 })).toHaveTextContent("Gaps to fix");
  expect(verdict).toHaveTextContent("1 met, 1 not met, 1 need documentation: gaps to fix.");
  expect(byId("pa-verdict-counts")).toHaveTextContent(
    "4 criteria: 1 met, 1 not met, 1 insufficient documentation, 1 not applicable",
  );
  expect(byId("pa-result-title")).toHaveTextContent(
    "Result: Cigna — Spravato (esketamine nasal spray)",
  );
  expect(byId("pa-result-meta")).toHaveTextContent("Version 2025-01");
  expect(byId("pa-result-meta")).toHaveTextContent("27-Mar-2026");
  expect(byId("pa-ordering-provider")).toHaveTextContent("Dr Amara Okafor");

  const rows = criterionRows();
  expect(rows).toHaveLength(4);
  // Every status is a text tag with a symbol: never colour alone.
  const badges = rows.map((r) => r.querySelector(".pa-status") as HTMLElement);
  expect(badges.map((b) => b.textContent)).toEqual([
    "✓Met",
    "✗Not met",
    "!Insufficient documentation",
    "–Not applicable",
  ]);
  for (const b of badges) {
    expect(b).toHaveClass("tag");
    expect(b.querySelector("[aria-hidden='true']")).not.toBeNull();
  }
  const [met, notMet, insufficient, na] = rows as [
    HTMLTableRowElement,
    HTMLTableRowElement,
    HTMLTableRowElement,
    HTMLTableRowElement,
  ];
  expect(within(met).getByRole("rowheader")).toHaveTextContent("Age 18 or older");
  // Fixes and who must act, for gaps only.
  expect(notMet).toHaveTextContent("To fix: Record a second adequate antidepressant trial");
  expect(insufficient).toHaveTextContent("To fix: Record a PHQ-9 within 30 days");
  expect(notMet).toHaveTextContent("A provider must record this");
  expect(insufficient).toHaveTextContent("A provider must record this");
  expect(met).not.toHaveTextContent("To fix");
  expect(met).not.toHaveTextContent("A provider must record this");
  expect(na).not.toHaveTextContent("A provider must record this");
  // An unverified rule says so in words, with the rule's note.
  expect(within(insufficient).getByText("Requires review")).toHaveClass("tag");
  expect(insufficient).toHaveTextContent("Note: The payer's policy does not give the time window.");
  expect(met).not.toHaveTextContent("Requires review");
  expect(na).toHaveTextContent("None cited");
  // Evidence is a link into the chart.
  expect(
    within(notMet).getByRole("button", { name: /sertraline 200 mg\/day, 11 weeks/ }),
  ).toBeVisible();

  await waitFor(() => expect(liveRegion.text).toBe("Check complete: Gaps to fix"));
  expect(onEvaluated).toHaveBeenCalledWith(evaluation(), args);
  // The request tracker's place, with what was checked.
  expect(byId("fake-tracker")).toHaveTextContent("Request for Cigna, cigna-spravato-trd");
});

test("policies linked to the patient's coverage come first; unverified ones say Requires review", async () => {
  const user = userEvent.setup();
  const { calls } = setup();
  const service = await screen.findByLabelText("Service");
  const policy = screen.getByLabelText("Payer policy");
  expect(
    within(service)
      .getAllByRole("option")
      .map((o) => o.textContent),
  ).toEqual([
    "Choose a service",
    "Spravato (esketamine) for treatment-resistant depression",
    "Spravato (esketamine) for MDD with acute suicidal ideation",
    "Transcranial magnetic stimulation (TMS)",
    "IV ketamine infusion",
  ]);
  // Nothing is pre-selected.
  expect(service).toHaveValue("");
  expect(policy).toHaveValue("");
  await waitFor(() => expect(callsOf(calls, "payer_rule_links")).toEqual([{ payerId: 1 }]));

  await user.selectOptions(service, "spravato_trd");
  const groups = policy.querySelectorAll("optgroup");
  expect(Array.from(groups).map((g) => g.label)).toEqual([
    "Linked to the patient's coverage",
    "Other payer policies",
  ]);
  expect(
    Array.from(groups[0]?.querySelectorAll("option") ?? []).map((o) => o.textContent?.trim()),
  ).toEqual(["CareFirst — Spravato (esketamine) for TRD in adults (version 1, requires review)"]);
  expect(
    Array.from(groups[1]?.querySelectorAll("option") ?? []).map((o) => o.textContent?.trim()),
  ).toEqual([
    "Aetna — Spravato (esketamine), 3rd-party summaries (version 1, requires review)",
    "Cigna — Spravato (esketamine nasal spray) (version 2025-01)",
  ]);
  expect(byId("pa-ruleset-hint")).toHaveTextContent(
    "linked to the patient's coverage are listed first",
  );

  // A policy for another service is not kept when the service changes.
  await user.selectOptions(policy, "cigna-spravato-trd");
  await user.selectOptions(service, "iv_ketamine");
  await waitFor(() => expect(policy).toHaveValue(""));
  expect(
    within(policy)
      .getAllByRole("option")
      .map((o) => o.textContent?.trim()),
  ).toEqual([
    "Choose a payer policy",
    "Aetna — CPB 0938 Ketamine (version 1, requires review, not covered)",
  ]);
});

test("checking without a service or with an impossible date says what to fix", async () => {
  const user = userEvent.setup();
  const { calls } = setup();
  await screen.findByLabelText("Service");
  await typeDate(user, "", "", "");
  await user.click(screen.getByRole("button", { name: "Check" }));

  const summary = await waitFor(() => byId("pa-check-errors"));
  expect(summary).toHaveFocus();
  expect(summary).toHaveTextContent("There is a problem");
  expect(
    within(summary)
      .getAllByRole("link")
      .map((a) => [a.textContent, a.getAttribute("href")]),
  ).toEqual([
    ["Select the service", "#pa-service"],
    ["Enter the date of service", "#pa-date-month"],
  ]);
  expect(byId("pa-service-error")).toHaveTextContent("Error: Select the service");
  expect(byId("pa-date-error")).toHaveTextContent("Error: Enter the date of service");
  expect(document.title).toBe("Error: Patient record – KetaChart");

  await user.selectOptions(screen.getByLabelText("Service"), "spravato_trd");
  await typeDate(user, "2", "30", "2026");
  await user.click(screen.getByRole("button", { name: "Check" }));
  await waitFor(() =>
    expect(
      within(byId("pa-check-errors"))
        .getAllByRole("link")
        .map((a) => a.textContent),
    ).toEqual(["Select the payer policy", "Date of service must be a real date"]),
  );
  expect(byId("pa-ruleset")).toHaveAttribute("aria-invalid", "true");
  expect(byId("pa-date-day")).toHaveAttribute("aria-invalid", "true");
  expect(byId("pa-date-day")).toHaveValue("30");
  expect(callsOf(calls, "pa_check")).toEqual([]);
});

test("the core's answer about the date shows at the date of service", async () => {
  const user = userEvent.setup();
  const message = 'No version of rule set "cigna-spravato-trd" is in effect on 2020-01-01';
  setup({
    handlers: {
      pa_check: () => {
        throw { code: "Validation", message: "1 problem", fields: [{ field: "on", message }] };
      },
    },
  });
  await user.selectOptions(await screen.findByLabelText("Service"), "spravato_trd");
  await user.selectOptions(screen.getByLabelText("Payer policy"), "cigna-spravato-trd");
  await typeDate(user, "1", "1", "2020");
  await user.click(screen.getByRole("button", { name: "Check" }));
  const summary = await waitFor(() => byId("pa-check-errors"));
  expect(within(summary).getByRole("link", { name: message })).toHaveAttribute(
    "href",
    "#pa-date-month",
  );
  expect(byId("pa-date-error")).toHaveTextContent(message);
  expect(document.getElementById("pa-result")).toBeNull();
});

/** Chart records as their sections render them, outside this section. */
function fakeChart() {
  const add = (html: string) => {
    const wrap = document.createElement("div");
    wrap.dataset["fakeChart"] = "";
    wrap.innerHTML = html;
    document.body.append(wrap);
  };
  add(
    `<section id="treatment-history"><h2 id="treatment-history-title">Treatment history</h2></section>`,
  );
  add(
    `<section id="chart-screenings"><h2 id="chart-screenings-title" tabindex="-1">Safety screenings</h2>` +
      `<ul><li id="screening-40"><h3 id="screening-40-title" tabindex="-1">Spravato screening</h3></li></ul></section>`,
  );
  add(`<h2 id="personal-details">Personal details</h2>`);
}

test("evidence links scroll to the record in the chart and focus it, or its section", async () => {
  const user = userEvent.setup();
  fakeChart();
  setup();
  await checkCigna(user);
  await waitFor(() => byId("pa-criteria"));

  // A screening card has its own heading: it takes focus.
  await user.click(screen.getByRole("button", { name: /Spravato screening 02-Mar-2026/ }));
  const card = byId("screening-40-title");
  expect(card).toHaveFocus();
  expect(scrollIntoView).toHaveBeenCalledTimes(1);
  expect(scrollIntoView.mock.contexts[0]).toBe(card);
  expect(scrollIntoView).toHaveBeenCalledWith({ block: "center" });
  expect(card).toHaveClass("pa-jump-target");

  // Trial rows have no anchor of their own: the treatment history's heading takes focus.
  await user.click(screen.getByRole("button", { name: /sertraline 200 mg\/day, 11 weeks/ }));
  const heading = byId("treatment-history-title");
  expect(heading).toHaveFocus();
  expect(heading).toHaveAttribute("tabindex", "-1");
  expect(scrollIntoView.mock.contexts[1]).toBe(heading);
  expect(card).not.toHaveClass("pa-jump-target");
  await waitFor(() =>
    expect(liveRegion.text).toBe("sertraline 200 mg/day, 11 weeks: shown in Medication trials"),
  );

  // If a trial row is given an id, the row itself is the target.
  const row = document.createElement("tr");
  row.id = "trial-11";
  byId("treatment-history").append(row);
  await user.click(screen.getByRole("button", { name: /sertraline 200 mg\/day, 11 weeks/ }));
  expect(row).toHaveFocus();

  // The patient's own details.
  await user.click(screen.getByRole("button", { name: /Date of birth 14-Feb-1981/ }));
  expect(byId("personal-details")).toHaveFocus();
});

test("a service the payer does not cover explains why and points to the self-pay path", async () => {
  const user = userEvent.setup();
  const reason = "Aetna considers IV ketamine for depression experimental and investigational";
  const { calls } = setup({
    handlers: {
      pa_check: () =>
        evaluation({
          ruleSetId: aetnaKetamine.id,
          ruleSetVersion: "1",
          payer: "Aetna",
          policy: "CPB 0938 Ketamine",
          service: "iv_ketamine",
          serviceLabel: "IV ketamine infusion",
          ruleSetVerified: false,
          verdict: "not_covered",
          verdictLabel: "Service not covered: self-pay",
          summary:
            "Aetna does not cover IV ketamine infusion under CPB 0938 Ketamine: self-pay path.",
          notCoveredReason: reason,
          criteria: [
            criterion({
              id: "coverage",
              label: "Aetna covers IV ketamine infusion",
              status: "not_met",
              statusLabel: "Not met",
              explanation: reason,
              fix: "Offer the self-pay path: a self-pay agreement and a superbill the patient may submit",
              verified: false,
              needsProvider: false,
            }),
          ],
          met: 0,
          notMet: 1,
          insufficient: 0,
          orderingProvider: null,
        }),
    },
  });
  await user.selectOptions(await screen.findByLabelText("Service"), "iv_ketamine");
  await user.selectOptions(screen.getByLabelText("Payer policy"), aetnaKetamine.id);
  await user.click(screen.getByRole("button", { name: "Check" }));
  await waitFor(() => expect(callsOf(calls, "pa_check")).toHaveLength(1));
  expect(callsOf(calls, "pa_check")[0]).toMatchObject({
    args: { ruleSetId: "aetna-cpb0938-iv-ketamine", service: "iv_ketamine" },
  });

  const verdict = await waitFor(() => byId("pa-verdict"));
  expect(verdict).toHaveAttribute("data-verdict", "not_covered");
  expect(within(verdict).getByRole("heading")).toHaveTextContent("Service not covered: self-pay");
  expect(byId("pa-not-covered-reason")).toHaveTextContent(`Why: ${reason}`);
  expect(byId("pa-self-pay")).toHaveTextContent("Self-pay path:");
  expect(byId("pa-self-pay")).toHaveTextContent("superbill");
  expect(document.getElementById("pa-verdict-counts")).toBeNull();
  expect(byId("pa-result-meta")).toHaveTextContent("Requires review");
  // The self-pay superbill is offered for the year of signed sessions up to the date of service.
  expect(screen.getByRole("button", { name: "Export superbill (PDF)" })).toBeInTheDocument();
  expect(criterionRows()[0]).toHaveTextContent("To fix: Offer the self-pay path");
});

test("several treatment-history options are each listed with a status, the reported one marked", async () => {
  const user = userEvent.setup();
  const trials = criterion({
    id: "trials",
    label: "2 antidepressant trials",
    status: "met",
    statusLabel: "Met",
  });
  const therapy = criterion({
    id: "psychotherapy",
    label: "Evidence-based psychotherapy",
    status: "not_met",
    statusLabel: "Not met",
  });
  setup({
    handlers: {
      pa_check: () =>
        evaluation({
          pathways: [
            {
              id: "a",
              label: "Augmentation or therapy",
              status: "not_met",
              criteria: [therapy],
              trialChecks: [],
            },
            { id: "b", label: "Two classes", status: "met", criteria: [trials], trialChecks: [] },
          ],
          bestPathway: "b",
        }),
    },
  });
  await checkCigna(user);
  const list = await waitFor(() => byId("pa-pathways"));
  const items = within(list)
    .getAllByRole("listitem")
    .filter((li) => li.classList.contains("pa-pathway"));
  expect(items).toHaveLength(2);
  expect(items[0]).toHaveTextContent("Augmentation or therapy");
  expect(items[0]).toHaveTextContent("✗Not met");
  expect(items[0]).not.toHaveTextContent("Reported");
  expect(items[1]).toHaveTextContent("Two classes");
  expect(items[1]).toHaveTextContent("✓Met");
  expect(within(items[1] as HTMLElement).getByText("Reported")).toHaveClass("tag");
});

test("comparing policies shows each one's verdict and each criterion's status side by side", async () => {
  const user = userEvent.setup();
  const carefirstResult = evaluation({
    ruleSetId: "carefirst-spravato-trd",
    ruleSetVersion: "1",
    payer: "CareFirst",
    policy: "Spravato (esketamine) for TRD in adults",
    ruleSetVerified: false,
    verdict: "ready",
    verdictLabel: "Ready to submit",
    criteria: [
      criterion(),
      criterion({
        id: "trials",
        label: "2 antidepressant trials",
        status: "met",
        statusLabel: "Met",
      }),
      criterion({ id: "pdmp", label: "Drug monitoring (PDMP) checked", status: "met" }),
    ],
  });
  const { calls } = setup({
    handlers: { pa_compare: () => [carefirstResult, evaluation()] },
  });
  await user.selectOptions(await screen.findByLabelText("Service"), "spravato_trd");
  await typeDate(user, "3", "27", "2026");
  const compare = byId("pa-compare");
  expect(within(compare).getByRole("group", { name: "Policies to compare" })).toBeVisible();

  // One is not enough.
  await user.click(within(compare).getByLabelText(/^Cigna/));
  await user.click(within(compare).getByRole("button", { name: "Compare policies" }));
  const errors = await waitFor(() => byId("pa-compare-errors"));
  expect(errors).toHaveTextContent("Select at least 2 policies to compare");
  expect(callsOf(calls, "pa_compare")).toEqual([]);

  await user.click(within(compare).getByLabelText(/^CareFirst/));
  await user.click(within(compare).getByRole("button", { name: "Compare policies" }));
  await waitFor(() => expect(callsOf(calls, "pa_compare")).toHaveLength(1));
  // In the order listed (linked policies first), for the same date of service.
  const base = {
    patientId: 7,
    ruleSetVersion: null,
    service: "spravato_trd",
    on: "2026-03-27",
    orderingProviderId: null,
  };
  expect(callsOf(calls, "pa_compare")[0]).toEqual({
    checks: [
      { ...base, ruleSetId: "carefirst-spravato-trd" },
      { ...base, ruleSetId: "cigna-spravato-trd" },
    ],
  });

  const table = await waitFor(() => byId("pa-compare-table"));
  expect(table.querySelector("caption")).toHaveTextContent("date of service 27-Mar-2026");
  const headers = within(table).getAllByRole("columnheader");
  expect(headers.map((h) => h.getAttribute("scope"))).toEqual(["col", "col", "col"]);
  expect(headers[1]).toHaveTextContent("CareFirst — Spravato (esketamine) for TRD in adults");
  expect(headers[1]).toHaveTextContent("Requires review");
  expect(headers[2]).toHaveTextContent("Cigna — Spravato (esketamine nasal spray)");
  const rows = within(table).getAllByRole("row");
  const text = (r: HTMLElement) =>
    Array.from((r as HTMLTableRowElement).cells).map((c) =>
      c.textContent?.replace(/\s+/g, " ").trim(),
    );
  // The verdicts first, then criteria by id across both policies.
  expect(text(rows[1] as HTMLElement)).toEqual(["Verdict", "✓ Ready to submit", "! Gaps to fix"]);
  expect(rows.slice(2).map((r) => text(r))).toEqual([
    ["Age 18 or older", "✓Met", "✓Met"],
    ["2 antidepressant trials", "✓Met", "✗Not met"],
    ["Drug monitoring (PDMP) checked", "✓Met", "Not in this policy"],
    ["Baseline severity on a rating scale", "Not in this policy", "!Insufficient documentation"],
    ["Taken with an oral antidepressant", "Not in this policy", "–Not applicable"],
  ]);
  for (const r of rows.slice(1)) {
    expect(within(r).getByRole("rowheader")).toHaveAttribute("scope", "row");
  }
  await waitFor(() => expect(liveRegion.text).toBe("2 policies compared"));
});

test("without rule sets the section says where they come from", async () => {
  setup({ ruleSets: [] });
  expect(await screen.findByText(/No payer rule sets are available yet/)).toHaveClass(
    "empty-state",
  );
  expect(screen.queryByRole("button", { name: "Check" })).toBeNull();
});
