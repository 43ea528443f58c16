import { clearMocks } from "@tauri-apps/api/mocks";
import { render, waitFor, within } from "@testing-library/svelte";
import userEvent, { type UserEvent } from "@testing-library/user-event";
import { createRawSnippet } from "svelte";
import { afterEach, expect, test } from "vitest";
import type { CheckArgs, PaRequestView, RecordView } from "../../../lib/bindings";
import { chartRecord, coverage, diagnosis, payer } from "../../../test/chart";
import { callsOf, ipcError, mockCommands, record, type Handler } from "../../../test/ipc";
import { evaluation } from "../test-fixtures";
import RequestTracker from "./RequestTracker.svelte";
import { approvedRequest, course, paRequest, provider } from "./test-fixtures";

afterEach(() => clearMocks());

const ARGS: CheckArgs = {
  patientId: 7,
  ruleSetId: "cigna-spravato-trd",
  ruleSetVersion: null,
  service: "spravato_trd",
  on: "2026-03-27",
  orderingProviderId: null,
};

const RECORDS: RecordView[] = [
  chartRecord(coverage({ payerId: 2, priority: "secondary", planName: "Advantage" }), { id: 22 }),
  chartRecord(coverage({ payerId: 1, priority: "primary", planName: "Choice POS II" }), {
    id: 21,
  }),
  chartRecord(diagnosis({ code: "F41.1", primary: false }), { id: 24 }),
  chartRecord(diagnosis({ code: "F33.2", primary: true }), { id: 23 }),
  chartRecord(diagnosis({ code: "F32.0", status: "resolved", primary: false }), { id: 25 }),
];

function setup(
  opts: {
    requests?: PaRequestView[];
    handlers?: Record<string, Handler>;
    withCheck?: boolean;
    isProvider?: boolean;
    withExport?: boolean;
  } = {},
) {
  let list = opts.requests ?? [paRequest()];
  const calls = mockCommands({
    list_pa_requests: () => list,
    get_patient: () => record({ id: 7 }),
    evaluate_pa_request: () => evaluation(),
    list_records: () => RECORDS,
    list_payers: () => [payer({ id: 1, name: "Cigna" }), payer({ id: 2, name: "Aetna" })],
    list_provider_profiles: () => [
      provider({ userId: 3, displayName: "Jo Reyes", prescriber: false, credentials: "RN" }),
      provider(),
    ],
    list_courses: () => [
      course(),
      course({
        record: { ...course().record, id: 51, content: tmsContent() },
        title: "TMS course",
      }),
    ],
    ...opts.handlers,
  });
  const exportAction = createRawSnippet((r: () => PaRequestView) => ({
    render: () =>
      `<button type="button" id="export-packet-${r().id}">Export packet (PDF)…</button>`,
  }));
  render(RequestTracker, {
    patientId: 7,
    evaluation: opts.withCheck === false ? null : evaluation({ payer: "Cigna" }),
    checkArgs: opts.withCheck === false ? null : ARGS,
    isProvider: opts.isProvider ?? false,
    exportAction: opts.withExport ? exportAction : undefined,
  });
  return {
    calls,
    setList: (next: PaRequestView[]) => {
      list = next;
    },
  };
}

function tmsContent(): RecordView["content"] {
  const c = course().record.content;
  return c.kind === "course" ? { ...c, modality: "tms" } : c;
}

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no #${id}`);
  return el;
}

async function find(id: string): Promise<HTMLElement> {
  return waitFor(() => byId(id));
}

async function openDetail(user: UserEvent, id: number) {
  await user.click(await find(`pa-req-${id}-toggle`));
  await find(`pa-req-${id}-detail`);
}

async function retype(user: UserEvent, id: string, value: string) {
  await user.clear(byId(id));
  if (value) await user.type(byId(id), value);
}

async function typeDateTime(
  user: UserEvent,
  prefix: string,
  m: string,
  d: string,
  y: string,
  t: string,
) {
  await retype(user, `${prefix}-month`, m);
  await retype(user, `${prefix}-day`, d);
  await retype(user, `${prefix}-year`, y);
  await retype(user, `${prefix}-time`, t);
}

// ---------- the list ----------

test("lists the requests for the service, newest first, with status, payer, authorization, dates, units and warnings", async () => {
  setup({
    requests: [
      approvedRequest(),
      paRequest({ id: 33, service: "tms", serviceLabel: "TMS", payerName: "Aetna" }),
      paRequest(),
    ],
  });
  const list = await find("pa-requests");
  const items = within(list)
    .getAllByRole("listitem")
    .filter((li) => li.dataset["request"]);
  // Only the Spravato requests (the check's service), newest first.
  expect(items.map((li) => li.dataset["request"])).toEqual(["31", "30"]);
  expect(byId("pa-tracker-others")).toHaveTextContent("1 request for other services is not shown");

  const [draft, approved] = items as [HTMLElement, HTMLElement];
  expect(draft).toHaveTextContent("Initial request · Cigna");
  expect(draft.querySelector(".pa-req-status")).toHaveTextContent("Draft");
  expect(draft).toHaveTextContent("Not given yet");
  expect(draft).toHaveTextContent("Not approved yet");

  // Status is a word with a symbol, never colour alone.
  const tag = approved.querySelector(".pa-req-status") as HTMLElement;
  expect(tag).toHaveTextContent("✓Approved");
  expect(tag.querySelector("[aria-hidden='true']")).toHaveTextContent("✓");
  expect(approved).toHaveTextContent("AUTH-7781");
  expect(approved).toHaveTextContent("10-Jan-2026 to 09-Apr-2026");
  const units = byId("pa-req-30-units");
  expect(
    within(units)
      .getAllByRole("columnheader")
      .map((h) => h.textContent),
  ).toEqual(["Code", "Approved", "Used", "Left"]);
  expect(within(units).getByRole("row", { name: /G2082/ })).toHaveTextContent(/G2082\s*8\s*7\s*1/);
  const warnings = byId("pa-req-30-warnings");
  expect(warnings).toHaveTextContent("⚠ Warning: Only 1 unit of G2082 left");
  expect(byId("pa-req-30-toggle")).toHaveAccessibleName(
    "Show details and actions for the Cigna initial request of 02-Jan-2026",
  );

  const user = userEvent.setup();
  await user.click(byId("pa-tracker-show-all"));
  await waitFor(() => expect(document.querySelectorAll("#pa-requests > li")).toHaveLength(3));
});

test("without a check the list shows every service and no New request button", async () => {
  setup({ withCheck: false, requests: [] });
  expect(await find("pa-tracker-empty")).toHaveTextContent("No authorization requests yet.");
  expect(document.getElementById("pa-new-request")).toBeNull();
  expect(byId("pa-tracker-hint")).toHaveTextContent("Check the chart against a payer policy");
});

// ---------- the new request form ----------

test("a new request is prefilled from the check and the chart and sends the form the core expects", async () => {
  const user = userEvent.setup();
  const created = paRequest({ id: 40 });
  const { calls } = setup({
    requests: [],
    handlers: { create_pa_request: () => created },
  });
  await user.click(await find("pa-new-request"));
  expect(byId("pa-req-form-title")).toHaveFocus();
  expect(byId("pa-req-policy")).toHaveTextContent(
    "Cigna — Spravato (esketamine nasal spray), version 2025-01",
  );

  // Primary coverage for the check's payer, the ordering provider the check assumed, the active
  // diagnoses (primary first, resolved left out) and the date of service.
  await waitFor(() => expect(byId("pa-req-payer")).toHaveValue("cov:21"));
  await waitFor(() => expect(byId("pa-req-provider")).toHaveValue("1"));
  await waitFor(() => expect(byId("pa-req-diagnoses")).toHaveValue("F33.2, F41.1"));
  expect(byId("pa-req-start-month")).toHaveValue("3");
  expect(byId("pa-req-start-day")).toHaveValue("27");
  expect(byId("pa-req-start-year")).toHaveValue("2026");
  // Only Spravato courses are offered for a Spravato request.
  const courseOptions = within(byId("pa-req-course") as HTMLSelectElement)
    .getAllByRole("option")
    .map((o) => o.textContent);
  expect(courseOptions).toEqual(["No course linked", "Spravato course from 27-Mar-2026"]);

  await user.selectOptions(byId("pa-req-course"), "50");
  await user.click(byId("pa-req-expedited"));
  await user.type(byId("pa-req-line-0-code"), "j0013");
  await user.type(byId("pa-req-line-0-units"), "224");
  await user.type(byId("pa-req-line-0-ndc"), "50458-0028-02");
  await user.click(byId("pa-req-line-add"));
  expect(byId("pa-req-line-1-code")).toHaveFocus();
  await user.type(byId("pa-req-line-1-code"), "G2082");
  await user.type(byId("pa-req-line-1-units"), "8");
  await user.click(byId("pa-req-line-add"));
  // An empty row is left out.
  await user.type(byId("pa-req-end-month"), "6");
  await user.type(byId("pa-req-end-day"), "26");
  await user.type(byId("pa-req-end-year"), "2026");
  await user.type(byId("pa-req-sessions"), "8");
  await user.click(byId("pa-req-save"));

  await waitFor(() => expect(callsOf(calls, "create_pa_request")).toHaveLength(1));
  expect(callsOf(calls, "create_pa_request")[0]).toEqual({
    form: {
      patientId: 7,
      kind: "initial",
      previousId: null,
      service: "spravato_trd",
      ruleSetId: "cigna-spravato-trd",
      ruleSetVersion: "2025-01",
      payerId: 1,
      coverageRecordId: 21,
      courseRecordId: 50,
      orderingProviderId: 1,
      expedited: true,
      requestedLines: [
        { code: "j0013", units: 224, ndc: "50458-0028-02" },
        { code: "G2082", units: 8, ndc: null },
      ],
      diagnosisCodes: ["F33.2", "F41.1"],
      requestedStart: "2026-03-27",
      requestedEnd: "2026-06-26",
      requestedSessions: "8",
    },
  });
  // The new request is listed, opened, and announced as saved.
  expect(await find("pa-tracker-success")).toHaveTextContent("Request started as a draft");
  expect(document.getElementById("pa-req-form")).toBeNull();
  await find("pa-req-40-detail");
  await waitFor(() => expect(byId("pa-req-40-title")).toHaveFocus());
});

test("the core's field errors show in one summary and on their boxes; typed values are kept", async () => {
  const user = userEvent.setup();
  setup({
    requests: [],
    handlers: {
      create_pa_request: () =>
        ipcError("Validation", "Check the request", [
          { field: "payerId", message: "Select the payer" },
          {
            field: "requestedLines.0.code",
            message: "Enter a CPT or HCPCS code: 5 digits (90868) or a letter and 4 digits (G2082)",
          },
          { field: "requestedLines.0.units", message: "Units must be from 1 to 9999" },
          {
            field: "diagnosisCodes.1",
            message: "X99 is not in KetaChart's ICD-10 list; choose a code from the list",
          },
          {
            field: "requestedEnd",
            message: "The last date must be the same as or after the first date",
          },
        ]),
    },
  });
  document.title = "Patient record – KetaChart";
  await user.click(await find("pa-new-request"));
  await waitFor(() => expect(byId("pa-req-diagnoses")).toHaveValue("F33.2, F41.1"));
  await user.selectOptions(byId("pa-req-payer"), "");
  await retype(user, "pa-req-diagnoses", "F33.2, X99");
  await user.type(byId("pa-req-line-0-code"), "BAD");
  await user.type(byId("pa-req-line-0-units"), "0");
  await user.type(byId("pa-req-end-month"), "1");
  await user.type(byId("pa-req-end-day"), "2");
  await user.type(byId("pa-req-end-year"), "2026");
  await user.click(byId("pa-req-save"));

  const summary = await find("pa-req-errors");
  expect(summary).toHaveFocus();
  expect(within(summary).getByRole("heading")).toHaveTextContent("There is a problem");
  const links = within(summary).getAllByRole("link");
  expect(links.map((l) => l.getAttribute("href"))).toEqual([
    "#pa-req-payer",
    "#pa-req-line-0-code",
    "#pa-req-line-0-units",
    "#pa-req-diagnoses",
    "#pa-req-end-month",
  ]);
  expect(byId("pa-req-payer-error")).toHaveTextContent("Error: Select the payer");
  expect(byId("pa-req-payer")).toHaveAttribute("aria-invalid", "true");
  expect(byId("pa-req-line-0-code-error")).toHaveTextContent("Enter a CPT or HCPCS code");
  expect(byId("pa-req-line-0-units-error")).toHaveTextContent("Units must be from 1 to 9999");
  expect(byId("pa-req-diagnoses-error")).toHaveTextContent("X99 is not in KetaChart's ICD-10 list");
  expect(byId("pa-req-end-error")).toHaveTextContent("The last date must be the same as or after");
  expect(document.title.startsWith("Error: ")).toBe(true);
  // Everything typed is still there.
  expect(byId("pa-req-line-0-code")).toHaveValue("BAD");
  expect(byId("pa-req-diagnoses")).toHaveValue("F33.2, X99");

  await user.click(links[1] as HTMLElement);
  expect(byId("pa-req-line-0-code")).toHaveFocus();

  await user.click(byId("pa-req-cancel"));
  expect(document.title.startsWith("Error: ")).toBe(false);
});

test("units that are not a whole number are caught before sending", async () => {
  const user = userEvent.setup();
  const { calls } = setup({ requests: [] });
  await user.click(await find("pa-new-request"));
  await user.type(byId("pa-req-line-0-code"), "90868");
  await user.type(byId("pa-req-line-0-units"), "two");
  await user.click(byId("pa-req-save"));
  expect(await find("pa-req-line-0-units-error")).toHaveTextContent(
    "Units must be a whole number, like 8",
  );
  expect(callsOf(calls, "create_pa_request")).toHaveLength(0);
});

// ---------- actions by status ----------

const ACTIONS: [PaRequestView["status"], string[]][] = [
  ["draft", ["ready", "edit", "letter"]],
  ["ready", ["submit", "reopen"]],
  ["submitted", ["decision", "pending"]],
  ["pending", ["decision"]],
  ["appealed", ["decision", "appeal-letter"]],
  ["denied", ["appeal", "appeal-letter"]],
  ["approved", ["reauth"]],
  ["partially_approved", ["reauth"]],
];

test.each(ACTIONS)("a %s request offers only its own actions", async (status, expected) => {
  const user = userEvent.setup();
  setup({ requests: [paRequest({ status, statusLabel: status })], withExport: true });
  await openDetail(user, 31);
  const actions = byId("pa-req-31-actions");
  const ids = Array.from(actions.querySelectorAll("button"))
    .map((b) => b.id.replace("pa-req-31-", ""))
    .filter((id) => !id.startsWith("export-packet"));
  expect(ids).toEqual(expected);
  // The packet export the chart supplies shows with the actions.
  expect(within(actions).getByRole("button", { name: "Export packet (PDF)…" })).toBeInTheDocument();
});

test("billing staff do not see the provider-only override and attestations; providers do", async () => {
  const user = userEvent.setup();
  setup({ isProvider: false });
  await openDetail(user, 31);
  expect(document.getElementById("pa-req-31-override")).toBeNull();
  expect(document.getElementById("pa-req-31-attest-psychosis_benefit_outweighs_risk")).toBeNull();
  clearMocks();
  document.body.innerHTML = "";

  const { calls } = setup({
    isProvider: true,
    handlers: {
      attest_pa_request: () =>
        paRequest({
          version: 4,
          attestations: [
            {
              kind: "substance_use_in_remission",
              statement: "The patient's substance use disorder is in remission.",
              byName: "Dr Amara Okafor",
              at: "2026-03-02T16:00:00Z",
            },
          ],
        }),
    },
  });
  await openDetail(user, 31);
  expect(byId("pa-req-31-override")).toHaveTextContent("Record override reason…");
  const attest = byId("pa-req-31-attest-substance_use_in_remission");
  expect(attest.closest("li")).toHaveTextContent(
    "The patient's substance use disorder is in remission, with the period of abstinence documented in the chart.",
  );
  await user.click(attest);
  await waitFor(() => expect(callsOf(calls, "attest_pa_request")).toHaveLength(1));
  expect(callsOf(calls, "attest_pa_request")[0]).toEqual({
    id: 31,
    version: 3,
    kind: "substance_use_in_remission",
  });
  expect(await find("pa-req-31-attested-substance_use_in_remission")).toHaveTextContent(
    "Attested by Dr Amara Okafor",
  );
});

test("a provider records an override reason", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    isProvider: true,
    handlers: {
      override_pa_request: () =>
        paRequest({
          version: 4,
          overrideReason: "Clinically urgent",
          overrideBy: "Dr Amara Okafor",
        }),
    },
  });
  await openDetail(user, 31);
  await user.click(byId("pa-req-31-override"));
  const dialog = await find("pa-override");
  expect(byId("pa-override-title")).toHaveFocus();
  expect(dialog).toHaveTextContent("ROSSI, Dana");
  expect(dialog).toHaveTextContent("KC-000007");
  await user.type(byId("pa-override-reason"), "Clinically urgent: severe symptoms");
  await user.click(byId("pa-override-confirm"));
  await waitFor(() => expect(callsOf(calls, "override_pa_request")).toHaveLength(1));
  expect(callsOf(calls, "override_pa_request")[0]).toEqual({
    id: 31,
    version: 3,
    reason: "Clinically urgent: severe symptoms",
  });
  await waitFor(() => expect(document.getElementById("pa-override")).toBeNull());
  expect(byId("pa-tracker-success")).toHaveTextContent("Override reason recorded");
});

test("Mark ready sends the change; when gaps remain it says so and that a provider may override", async () => {
  const user = userEvent.setup();
  let refuse = true;
  const { calls } = setup({
    handlers: {
      pa_request_transition: () =>
        refuse
          ? ipcError("Validation", "The request cannot be marked ready", [
              {
                field: "status",
                message:
                  "The evaluation still has gaps: fix them or record a provider's override reason",
              },
            ])
          : paRequest({ version: 4, status: "ready", statusLabel: "Ready to submit" }),
    },
  });
  await openDetail(user, 31);
  // The request's own check, compact: status word, criterion, and how to fix a gap.
  const criteria = await find("pa-req-31-criteria");
  expect(criteria).toHaveTextContent("✗Not met");
  expect(criteria).toHaveTextContent("2 or more antidepressant trials of 6 weeks or more");
  expect(criteria).toHaveTextContent("To fix: Record a second adequate antidepressant trial");
  expect(callsOf(calls, "evaluate_pa_request")).toEqual([{ id: 31 }]);

  // Buttons say which request they are for.
  expect(byId("pa-req-31-ready")).toHaveAccessibleName(
    "Mark ready for the Cigna initial request of 02-Mar-2026",
  );
  await user.click(byId("pa-req-31-ready"));
  const refusal = await find("pa-req-31-refusal");
  expect(refusal).toHaveTextContent("The request cannot be marked ready yet");
  expect(refusal).toHaveTextContent("The evaluation still has gaps");
  expect(refusal).toHaveTextContent(
    "A provider may record an override reason if the request should go to the payer as it is",
  );
  expect(callsOf(calls, "pa_request_transition")[0]).toEqual({
    id: 31,
    version: 3,
    change: { action: "mark_ready" },
  });

  refuse = false;
  await user.click(byId("pa-req-31-ready"));
  await find("pa-req-31-submit");
  expect(document.getElementById("pa-req-31-refusal")).toBeNull();
  expect(byId("pa-tracker-success")).toHaveTextContent("Request marked ready to submit");
  expect(document.querySelector("[data-request='31'] .pa-req-status")).toHaveTextContent(
    "Ready to submit",
  );
});

test("the submit dialog sends the method, the local date-time and the reference", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    requests: [paRequest({ status: "ready", statusLabel: "Ready to submit" })],
    handlers: {
      pa_request_transition: () =>
        paRequest({ version: 4, status: "submitted", statusLabel: "Submitted" }),
    },
  });
  await openDetail(user, 31);
  await user.click(byId("pa-req-31-submit"));
  await find("pa-submit");
  // Now, to the minute, unless changed.
  expect((byId("pa-submit-at-time") as HTMLInputElement).value).toMatch(/^\d{2}:\d{2}$/);
  await user.selectOptions(byId("pa-submit-method"), "fax");
  await typeDateTime(user, "pa-submit-at", "3", "5", "2026", "9:05");
  await user.type(byId("pa-submit-reference"), "REF-1");
  await user.click(byId("pa-submit-confirm"));
  await waitFor(() => expect(callsOf(calls, "pa_request_transition")).toHaveLength(1));
  expect(callsOf(calls, "pa_request_transition")[0]).toEqual({
    id: 31,
    version: 3,
    change: {
      action: "submit",
      method: "fax",
      submittedAt: "2026-03-05T09:05",
      reference: "REF-1",
    },
  });
  await waitFor(() => expect(document.getElementById("pa-submit")).toBeNull());
});

test("a time that is not on the 24-hour clock is caught in the dialog", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    requests: [paRequest({ status: "ready", statusLabel: "Ready to submit" })],
  });
  await openDetail(user, 31);
  await user.click(byId("pa-req-31-submit"));
  await find("pa-submit");
  await retype(user, "pa-submit-at-time", "25:00");
  await user.click(byId("pa-submit-confirm"));
  expect(await find("pa-submit-at-error")).toHaveTextContent(
    "The submission time must be a time on the 24-hour clock, like 14:05",
  );
  expect(byId("pa-submit-errors")).toHaveFocus();
  expect(callsOf(calls, "pa_request_transition")).toHaveLength(0);
});

test("the decision dialog sends an approval with the lines prefilled from the request", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    requests: [
      paRequest({ status: "submitted", statusLabel: "Submitted", submittedAt: "2026-03-05T09:05" }),
    ],
    handlers: { pa_request_transition: () => approvedRequest({ id: 31 }) },
  });
  await openDetail(user, 31);
  await user.click(byId("pa-req-31-decision"));
  await find("pa-decision");
  // Nothing is pre-selected.
  await user.click(byId("pa-decision-confirm"));
  expect(await find("pa-decision-outcome-error")).toHaveTextContent("Select the payer's decision");

  await user.click(byId("pa-decision-outcome-approve"));
  expect(byId("pa-decision-line-0-code")).toHaveValue("J0013");
  expect(byId("pa-decision-line-0-units")).toHaveValue("224");
  await user.type(byId("pa-decision-auth"), "AUTH-1");
  await retype(user, "pa-decision-line-0-units", "112");
  await user.type(byId("pa-decision-start-month"), "3");
  await user.type(byId("pa-decision-start-day"), "27");
  await user.type(byId("pa-decision-start-year"), "2026");
  await user.type(byId("pa-decision-end-month"), "jun");
  await user.type(byId("pa-decision-end-day"), "26");
  await user.type(byId("pa-decision-end-year"), "2026");
  await typeDateTime(user, "pa-decision-at", "3", "9", "2026", "15:30");
  await user.click(byId("pa-decision-confirm"));
  await waitFor(() => expect(callsOf(calls, "pa_request_transition")).toHaveLength(1));
  expect(callsOf(calls, "pa_request_transition")[0]).toEqual({
    id: 31,
    version: 3,
    change: {
      action: "approve",
      decision: {
        authNumber: "AUTH-1",
        approvedLines: [{ code: "J0013", units: 112, ndc: "50458-0028-02" }],
        approvedStart: "2026-03-27",
        approvedEnd: "2026-06-26",
        decidedAt: "2026-03-09T15:30",
        note: null,
      },
    },
  });
  expect(await find("pa-tracker-success")).toHaveTextContent("Decision recorded");
});

test("a partial approval and a denial send their own tagged changes; the core's errors show on the fields", async () => {
  const user = userEvent.setup();
  let answer: () => unknown = () =>
    ipcError("Validation", "Check the decision", [
      {
        field: "note",
        message: "Say what the payer cut (codes, units or dates) for a partial approval",
      },
      {
        field: "approvedLines.0.code",
        message: "G2083 was not requested; the approval can only cover requested codes",
      },
    ]);
  const { calls } = setup({
    requests: [paRequest({ status: "pending", statusLabel: "Pending with the payer" })],
    handlers: { pa_request_transition: () => answer() },
  });
  await openDetail(user, 31);
  await user.click(byId("pa-req-31-decision"));
  await find("pa-decision");
  await user.click(byId("pa-decision-outcome-partially_approve"));
  await user.type(byId("pa-decision-auth"), "AUTH-2");
  await retype(user, "pa-decision-line-0-code", "G2083");
  for (const [part, v] of [
    ["month", "3"],
    ["day", "27"],
    ["year", "2026"],
  ] as const) {
    await user.type(byId(`pa-decision-start-${part}`), v);
    await user.type(byId(`pa-decision-end-${part}`), v);
  }
  await typeDateTime(user, "pa-decision-at", "3", "9", "2026", "15:30");
  await user.click(byId("pa-decision-confirm"));
  await waitFor(() => expect(callsOf(calls, "pa_request_transition")).toHaveLength(1));
  const partial = callsOf(calls, "pa_request_transition")[0] as { change: { action: string } };
  expect(partial.change.action).toBe("partially_approve");
  expect(await find("pa-decision-note-error")).toHaveTextContent("Say what the payer cut");
  expect(byId("pa-decision-line-0-code-error")).toHaveTextContent("G2083 was not requested");

  answer = () => paRequest({ status: "denied", statusLabel: "Denied", version: 4 });
  await user.click(byId("pa-decision-outcome-deny"));
  await user.type(byId("pa-decision-denial"), "Fewer than 2 adequate trials");
  await user.click(byId("pa-decision-confirm"));
  await waitFor(() => expect(callsOf(calls, "pa_request_transition")).toHaveLength(2));
  expect(callsOf(calls, "pa_request_transition")[1]).toEqual({
    id: 31,
    version: 3,
    change: {
      action: "deny",
      denialReason: "Fewer than 2 adequate trials",
      decidedAt: "2026-03-09T15:30",
      note: null,
    },
  });
  await find("pa-req-31-appeal");
});

test("the appeal dialog sends the appeal time and note; mark pending and reopen send their notes", async () => {
  const user = userEvent.setup();
  const { calls, setList } = setup({
    requests: [
      paRequest({ status: "denied", statusLabel: "Denied", denialReason: "Not enough trials" }),
    ],
    handlers: {
      pa_request_transition: (args) => {
        const change = args["change"] as { action: string };
        if (change.action === "appeal")
          return paRequest({ status: "appealed", statusLabel: "Appealed", version: 4 });
        return paRequest({ status: "pending", statusLabel: "Pending with the payer", version: 5 });
      },
    },
  });
  await openDetail(user, 31);
  await user.click(byId("pa-req-31-appeal"));
  expect(await find("pa-appeal")).toHaveTextContent("Denied because: Not enough trials");
  await typeDateTime(user, "pa-appeal-at", "3", "12", "2026", "10:00");
  await user.type(byId("pa-appeal-note"), "Peer-to-peer requested");
  await user.click(byId("pa-appeal-confirm"));
  await waitFor(() => expect(callsOf(calls, "pa_request_transition")).toHaveLength(1));
  expect(callsOf(calls, "pa_request_transition")[0]).toEqual({
    id: 31,
    version: 3,
    change: { action: "appeal", appealedAt: "2026-03-12T10:00", note: "Peer-to-peer requested" },
  });
  setList([]);

  clearMocks();
  document.body.innerHTML = "";
  const second = setup({
    requests: [paRequest({ status: "submitted", statusLabel: "Submitted" })],
    handlers: {
      pa_request_transition: () =>
        paRequest({ status: "pending", statusLabel: "Pending with the payer", version: 4 }),
    },
  });
  await openDetail(user, 31);
  await user.click(byId("pa-req-31-pending"));
  await find("pa-pending");
  await user.type(byId("pa-pending-note"), "Asked for notes");
  await user.click(byId("pa-pending-confirm"));
  await waitFor(() =>
    expect(callsOf(second.calls, "pa_request_transition")[0]).toEqual({
      id: 31,
      version: 3,
      change: { action: "mark_pending", note: "Asked for notes" },
    }),
  );

  clearMocks();
  document.body.innerHTML = "";
  const third = setup({
    requests: [paRequest({ status: "ready", statusLabel: "Ready to submit" })],
    handlers: { pa_request_transition: () => paRequest({ version: 4 }) },
  });
  await openDetail(user, 31);
  await user.click(byId("pa-req-31-reopen"));
  await find("pa-reopen");
  await user.click(byId("pa-reopen-confirm"));
  await waitFor(() =>
    expect(callsOf(third.calls, "pa_request_transition")[0]).toEqual({
      id: 31,
      version: 3,
      change: { action: "reopen", note: null },
    }),
  );
});

test("a conflict says so and reads the list again, so the next try uses the new version", async () => {
  const user = userEvent.setup();
  let attempt = 0;
  const { calls, setList } = setup({
    requests: [paRequest({ status: "ready", statusLabel: "Ready to submit" })],
    handlers: {
      pa_request_transition: () => {
        attempt += 1;
        if (attempt === 1) {
          return ipcError(
            "Conflict",
            "This request was changed by someone else since you opened it. Reload it and try again",
          );
        }
        return paRequest({ status: "submitted", statusLabel: "Submitted", version: 6 });
      },
    },
  });
  await openDetail(user, 31);
  setList([paRequest({ status: "ready", statusLabel: "Ready to submit", version: 5 })]);
  await user.click(byId("pa-req-31-submit"));
  await find("pa-submit");
  await user.selectOptions(byId("pa-submit-method"), "portal");
  await user.click(byId("pa-submit-confirm"));
  expect(await find("pa-submit-errors")).toHaveTextContent(
    "This request was changed by someone else since you opened it",
  );
  await waitFor(() => expect(callsOf(calls, "list_pa_requests").length).toBe(2));
  await user.click(byId("pa-submit-confirm"));
  await waitFor(() => expect(callsOf(calls, "pa_request_transition")).toHaveLength(2));
  expect(callsOf(calls, "pa_request_transition")[1]).toMatchObject({ id: 31, version: 5 });
});

// ---------- letters ----------

test("the letter dialog opens with the generated draft and saves the edited letter", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    handlers: {
      pa_letter_draft: () => "Dear Medical Director,\nI am writing on behalf of Dana Rossi.",
      set_pa_letter: (args) => paRequest({ version: 4, letter: args["letter"] as string }),
    },
  });
  await openDetail(user, 31);
  await user.click(byId("pa-req-31-letter"));
  const text = await find("pa-letter-text");
  expect(text).toHaveValue("Dear Medical Director,\nI am writing on behalf of Dana Rossi.");
  expect(byId("pa-letter-count")).toHaveTextContent("60 of 20,000 characters");
  expect(callsOf(calls, "pa_letter_draft")).toEqual([{ id: 31 }]);
  await user.type(text, " Thank you.");
  await user.click(byId("pa-letter-save"));
  await waitFor(() => expect(callsOf(calls, "set_pa_letter")).toHaveLength(1));
  expect(callsOf(calls, "set_pa_letter")[0]).toEqual({
    id: 31,
    version: 3,
    letter: "Dear Medical Director,\nI am writing on behalf of Dana Rossi. Thank you.",
  });
  await waitFor(() => expect(document.getElementById("pa-letter")).toBeNull());
  expect(byId("pa-tracker-success")).toHaveTextContent("Letter saved");
});

test("an edited appeal letter opens as saved and can be reset to the generated one in two steps", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    requests: [
      paRequest({
        status: "denied",
        statusLabel: "Denied",
        appealLetter: "My appeal",
        letter: "Old",
      }),
    ],
    handlers: {
      set_pa_letter: () => paRequest({ status: "denied", statusLabel: "Denied", version: 4 }),
    },
  });
  await openDetail(user, 31);
  await user.click(byId("pa-req-31-appeal-letter"));
  expect(await find("pa-letter-text")).toHaveValue("My appeal");
  expect(byId("pa-letter-title")).toHaveTextContent("Edit the appeal letter");
  expect(callsOf(calls, "pa_letter_draft")).toHaveLength(0);
  await user.click(byId("pa-letter-reset"));
  expect(callsOf(calls, "set_pa_letter")).toHaveLength(0);
  await user.click(byId("pa-letter-reset-confirm"));
  await waitFor(() =>
    expect(callsOf(calls, "set_pa_letter")[0]).toEqual({ id: 31, version: 3, letter: null }),
  );
});

// ---------- re-authorization, editing, history ----------

test("an approval starts a re-authorization of the same service, payer and policy", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    requests: [approvedRequest()],
    handlers: {
      create_pa_request: () => paRequest({ id: 41, kind: "reauthorization", previousId: 30 }),
    },
  });
  await openDetail(user, 30);
  // History: who changed what, newest first.
  const history = byId("pa-req-30-history");
  const rows = within(history).getAllByRole("row").slice(1);
  expect(rows[0]).toHaveTextContent(/Bea Biller\s*Submitted →\s*to\s*Approved\s*Approved by phone/);
  expect(rows[3]).toHaveTextContent("Started as draft");

  await user.click(byId("pa-req-30-reauth"));
  expect(byId("pa-req-form-title")).toHaveTextContent("Start a re-authorization");
  await waitFor(() => expect(byId("pa-req-payer")).toHaveValue("cov:21"));
  expect(byId("pa-req-line-0-code")).toHaveValue("G2082");
  await user.click(byId("pa-req-save"));
  await waitFor(() => expect(callsOf(calls, "create_pa_request")).toHaveLength(1));
  expect(callsOf(calls, "create_pa_request")[0]).toMatchObject({
    form: {
      kind: "reauthorization",
      previousId: 30,
      service: "spravato_trd",
      ruleSetId: "cigna-spravato-trd",
      ruleSetVersion: "2025-01",
      payerId: 1,
      coverageRecordId: 21,
      requestedLines: [{ code: "G2082", units: 8, ndc: null }],
      requestedStart: null,
      requestedEnd: null,
    },
  });
  expect(await find("pa-tracker-success")).toHaveTextContent(
    "Re-authorization request started as a draft",
  );
  // The approval now says a re-authorization is under way instead of offering another.
  await find("pa-req-30-reauth-started");
});

test("Edit sends the changed draft with the version it was read at", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    handlers: { update_pa_request: () => paRequest({ version: 4, requestedSessions: 10 }) },
  });
  await openDetail(user, 31);
  await user.click(byId("pa-req-31-edit"));
  expect(byId("pa-req-form-title")).toHaveTextContent("Change the request");
  expect(byId("pa-req-sessions")).toHaveValue("8");
  await waitFor(() => expect(byId("pa-req-payer")).toHaveValue("cov:21"));
  await retype(user, "pa-req-sessions", "10");
  await user.click(byId("pa-req-save"));
  await waitFor(() => expect(callsOf(calls, "update_pa_request")).toHaveLength(1));
  expect(callsOf(calls, "update_pa_request")[0]).toMatchObject({
    id: 31,
    version: 3,
    form: { requestedSessions: "10", diagnosisCodes: ["F33.2"], requestedStart: "2026-03-27" },
  });
  expect(await find("pa-tracker-success")).toHaveTextContent("Changes to the request saved");
});

test("without coverage on the chart the clinic's active payers are offered", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    requests: [],
    handlers: {
      list_records: () => [chartRecord(diagnosis({ code: "F33.1" }), { id: 23 })],
      list_payers: () => [
        payer({ id: 1, name: "Cigna" }),
        payer({ id: 5, name: "Old plan", active: false }),
      ],
    },
  });
  await user.click(await find("pa-new-request"));
  await waitFor(() =>
    expect(
      within(byId("pa-req-payer") as HTMLSelectElement)
        .getAllByRole("option")
        .map((o) => o.textContent),
    ).toEqual(["Choose the payer", "Cigna (no coverage on the chart)"]),
  );
  expect(byId("pa-req-payer")).toHaveValue("");
  await user.selectOptions(byId("pa-req-payer"), "payer:1");
  expect(byId("pa-req-diagnoses")).toHaveValue("F33.1");
  expect(callsOf(calls, "list_records")).toEqual([{ patientId: 7, kind: null }]);
});
