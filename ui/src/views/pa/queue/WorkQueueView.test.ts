import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test, vi } from "vitest";
import type { QueueView } from "../../../lib/bindings";
import { formatDateTime } from "../../../lib/format/date";
import { callsOf, mockCommands } from "../../../test/ipc";
import { queueItem } from "../tracker/test-fixtures";
import WorkQueueView from "./WorkQueueView.svelte";

afterEach(() => clearMocks());

const overdue = queueItem({
  requestId: 31,
  status: "pending",
  statusLabel: "Pending with the payer",
  expedited: true,
  ageDays: 6,
  clock: {
    rule: "CMS-0057-F",
    expedited: true,
    hours: 72,
    due: "2026-11-21T09:00:00Z",
    overdue: true,
    minutesLeft: -300,
  },
  warnings: [],
});
const due = queueItem({
  requestId: 32,
  patientId: 9,
  patientName: "LEE, Ann",
  mrn: "KC-000009",
  ageDays: 1,
  clock: {
    rule: "CMS-0057-F",
    expedited: false,
    hours: 168,
    due: "2026-11-25T14:00:00Z",
    overdue: false,
    minutesLeft: 2 * 24 * 60 + 30,
  },
});
const commercial = queueItem({
  requestId: 33,
  patientId: 11,
  patientName: "SHAH, Priya",
  mrn: "KC-000011",
  payerName: "Cigna",
  payerType: "Commercial",
  service: "spravato_trd",
  serviceLabel: "Spravato (esketamine) for treatment-resistant depression",
  ageDays: 2,
});
const draft = queueItem({
  requestId: 34,
  patientId: 12,
  patientName: "KIM, Jun",
  mrn: "KC-000012",
  status: "draft",
  statusLabel: "Draft",
  ageDays: 0,
  submittedAt: null,
});
const approval = queueItem({
  requestId: 30,
  patientId: 7,
  status: "approved",
  statusLabel: "Approved",
  kind: "initial",
  authNumber: "AUTH-7781",
  approvedEnd: "2026-11-30",
  units: [{ code: "90868", approved: 30, used: 29, remaining: 1 }],
  warnings: [
    { kind: "units_low", code: "90868", message: "Only 1 unit of 90868 left" },
    { kind: "ends_soon", code: null, message: "Authorization ends on 30-Nov-2026" },
  ],
});

function queue(overrides: Partial<QueueView> = {}): QueueView {
  return {
    items: [overdue, due, commercial, draft, approval],
    reauthorizationsDue: [approval],
    expiring: [approval],
    ...overrides,
  };
}

function setup(q: () => QueueView = () => queue()) {
  const calls = mockCommands({ pa_queue: q });
  const onopen = vi.fn();
  render(WorkQueueView, { onopen });
  return { calls, onopen };
}

async function table(id: string): Promise<HTMLElement> {
  return waitFor(() => {
    const el = document.getElementById(id);
    if (!el) throw new Error(`no #${id}`);
    return el;
  });
}

function row(tableEl: HTMLElement, requestId: number): HTMLElement {
  return tableEl.querySelector(`tr[data-request='${requestId}']`) as HTMLElement;
}

test("the heading takes focus and each request shows its decision clock in words", async () => {
  setup();
  const h1 = screen.getByRole("heading", { level: 1, name: "Authorizations" });
  expect(h1).toHaveFocus();
  expect(document.title).toBe("Authorizations – KetaChart");

  const t = await table("queue-requests");
  expect(t.querySelector("caption")).toHaveTextContent("5 requests, 1 overdue, most urgent first");
  expect(
    within(t)
      .getAllByRole("columnheader")
      .map((h) => h.textContent),
  ).toEqual(["Patient", "Service", "Payer", "Status", "Age", "Decision clock", "Warnings"]);

  // Overdue: highlighted, and said in words in a tag (never colour alone).
  const late = row(t, 31);
  expect(late).toHaveClass("queue-row--overdue");
  expect(late.querySelector(".queue-overdue")).toHaveTextContent("Overdue by 5 hours");
  expect(late).toHaveTextContent(`Was due ${formatDateTime("2026-11-21T09:00:00Z")}`);
  expect(late).toHaveTextContent("CMS-0057-F, expedited: 72 hours");
  expect(late).toHaveTextContent("Pending with the payer");
  expect(late).toHaveTextContent("Expedited");
  expect(late).toHaveTextContent("6 days");
  expect(late).toHaveTextContent(/ROSSI, Dana.*MRN KC-000007/);
  expect(late).toHaveTextContent(/Harbour Medicare Advantage\s*Medicare Advantage/);

  const soon = row(t, 32);
  expect(soon).not.toHaveClass("queue-row--overdue");
  expect(soon.querySelector(".queue-due")).toHaveTextContent(
    `Due ${formatDateTime("2026-11-25T14:00:00Z")} (in 2 days)`,
  );
  expect(soon).toHaveTextContent("CMS-0057-F, standard: 7 days");

  // Commercial plans: no federal clock, explained under the table.
  const none = row(t, 33);
  expect(none.querySelector(".queue-no-clock")).toHaveTextContent("No federal clock");
  expect(none.querySelector(".queue-no-clock")).toHaveAttribute(
    "title",
    expect.stringContaining("CMS-0057-F applies to Medicare Advantage, Medicaid and CHIP"),
  );
  expect(document.getElementById("queue-no-clock-note")).toHaveTextContent(
    "No federal clock: CMS-0057-F applies to Medicare Advantage, Medicaid and CHIP, not to commercial plans, exchange plans' timeframes, or drugs.",
  );
  // A draft owes no decision yet.
  expect(row(t, 34).querySelector("[data-clock]")).toHaveTextContent("Not applicable");
  expect(row(t, 34)).toHaveTextContent("0 days");
  expect(row(t, 30)).toHaveTextContent("⚠ Warning: Only 1 unit of 90868 left");
  expect(row(t, 32)).toHaveTextContent("None");
});

test("filters by status with a count for each", async () => {
  const user = userEvent.setup();
  setup();
  await table("queue-requests");
  const select = screen.getByLabelText("Show requests that are") as HTMLSelectElement;
  expect(
    within(select)
      .getAllByRole("option")
      .map((o) => o.textContent),
  ).toEqual([
    "Any status (5)",
    "Draft (1)",
    "Submitted (2)",
    "Pending with the payer (1)",
    "Approved (1)",
  ]);
  expect(document.getElementById("queue-status-counts")).toHaveTextContent(
    /Draft: 1\s*Submitted: 2\s*Pending with the payer: 1\s*Approved: 1/,
  );
  await user.selectOptions(select, "submitted");
  const t = await table("queue-requests");
  expect(t.querySelectorAll("tbody tr")).toHaveLength(2);
  expect(t.querySelector("caption")).toHaveTextContent("2 requests submitted, most urgent first");
  await user.selectOptions(select, "");
  await waitFor(() => expect(t.querySelectorAll("tbody tr")).toHaveLength(5));
});

test("a patient's name opens their chart, from every table", async () => {
  const user = userEvent.setup();
  const { onopen } = setup();
  const t = await table("queue-requests");
  await user.click(within(row(t, 32)).getByRole("button", { name: "LEE, Ann: open the chart" }));
  expect(onopen).toHaveBeenCalledWith(9);
  const reauth = await table("queue-reauth");
  await user.click(within(reauth).getByRole("button", { name: /ROSSI, Dana/ }));
  expect(onopen).toHaveBeenLastCalledWith(7);
});

test("approvals due for re-authorization and expiring soon list the authorization, end date and units left", async () => {
  setup();
  const reauth = await table("queue-reauth");
  expect(reauth.querySelector("caption")).toHaveTextContent(
    "1 approval to re-authorize, soonest ending first",
  );
  expect(
    within(reauth)
      .getAllByRole("columnheader")
      .map((h) => h.textContent),
  ).toEqual([
    "Patient",
    "Service",
    "Payer",
    "Authorization number",
    "Approved until",
    "Units left",
    "Warnings",
  ]);
  const r = row(reauth, 30);
  expect(r).toHaveTextContent("AUTH-7781");
  expect(r).toHaveTextContent("30-Nov-2026");
  expect(r).toHaveTextContent("90868: 1 of 30 left");
  expect(r).toHaveTextContent("Authorization ends on 30-Nov-2026");
  const expiring = await table("queue-expiring");
  expect(expiring.querySelector("caption")).toHaveTextContent(
    "1 approval ending within 14 days, soonest first",
  );
});

test("empty queues say what will appear; Refresh reads the queue again", async () => {
  const user = userEvent.setup();
  const { calls } = setup(() => ({ items: [], reauthorizationsDue: [], expiring: [] }));
  expect(await screen.findByText("No authorization requests yet.")).toBeInTheDocument();
  expect(document.getElementById("queue-reauth-empty")).toHaveTextContent(
    "No approvals need a re-authorization yet",
  );
  expect(document.getElementById("queue-expiring-empty")).toHaveTextContent(
    "No approvals end in the next 14 days.",
  );
  expect(document.getElementById("queue-requests")).toBeNull();
  await user.click(screen.getByRole("button", { name: "Refresh" }));
  await waitFor(() => expect(callsOf(calls, "pa_queue")).toHaveLength(2));
});

test("a queue that cannot be read says so", async () => {
  mockCommands({
    pa_queue: () => {
      throw { code: "NotFound", message: "The work queue is not available" };
    },
  });
  render(WorkQueueView, { onopen: vi.fn() });
  expect(await screen.findByText("The work queue is not available")).toBeInTheDocument();
});
