import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test, vi } from "vitest";
import { liveRegion } from "../../lib/announce.svelte";
import type { RemsDueView as Due, RemsSubmissionView } from "../../lib/bindings";
import { callsOf, ipcError, mockCommands, record, type Handler } from "../../test/ipc";
import RemsDueView from "./RemsDueView.svelte";
import { todayIso } from "./rems";

afterEach(() => clearMocks());

function due(overrides: Partial<Due> = {}): Due {
  return {
    id: 301,
    patientId: 7,
    mrn: "KC-000007",
    patientName: "ROSSI, Dana",
    sessionDate: "2026-03-02",
    dueDate: "2026-03-09",
    daysLeft: -2,
    signedByName: "Dr Amara Okafor",
    signed: true,
    ...overrides,
  };
}

// Most urgent first, as the core sends them.
const DUE = [
  due(),
  due({
    id: 302,
    patientId: 9,
    mrn: "KC-000009",
    patientName: "LEE, Ann",
    sessionDate: "2026-03-04",
    dueDate: "2026-03-11",
    daysLeft: 0,
  }),
  due({
    id: 303,
    patientId: 11,
    mrn: "KC-000011",
    patientName: "SHAH, Priya",
    sessionDate: "2026-03-07",
    dueDate: "2026-03-14",
    daysLeft: 3,
    signedByName: "",
    signed: true,
  }),
];

function submission(overrides: Partial<RemsSubmissionView> = {}): RemsSubmissionView {
  return {
    submittedOn: "2026-03-10",
    method: "fax",
    confirmation: "RX-5521",
    recordedBy: "j.reyes",
    recordedAt: "2026-03-10T15:00:00Z",
    ...overrides,
  };
}

function setup(opts: { due?: () => Due[]; handlers?: Record<string, Handler> } = {}) {
  const calls = mockCommands({
    rems_due: opts.due ?? (() => DUE),
    get_patient: () => record({ id: 7 }),
    ...opts.handlers,
  });
  const onopen = vi.fn();
  render(RemsDueView, { onopen });
  return { calls, onopen };
}

async function table(): Promise<HTMLElement> {
  return waitFor(() => {
    const el = document.getElementById("rems-due-table");
    if (!el) throw new Error("no REMS table yet");
    return el;
  });
}

function rows(): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>("#rems-due-table tbody tr"));
}

test("lists every form waiting, with patient, dates, days left in words and who signed", async () => {
  setup();
  const section = document.getElementById("rems-due") as HTMLElement;
  expect(
    within(section).getByRole("heading", { level: 2, name: "Spravato REMS forms due" }),
  ).toBeInTheDocument();
  expect(section).toHaveTextContent("within 7 days of each Spravato session");
  expect(section).toHaveTextContent("1-877-778-0091");

  const t = await table();
  expect(t.querySelector("caption")).toHaveTextContent(
    "3 REMS forms waiting, 1 overdue, most urgent first",
  );
  const headers = within(t)
    .getAllByRole("columnheader")
    .map((h) => h.textContent?.trim());
  expect(headers).toEqual([
    "Patient",
    "Session date",
    "Due date",
    "Days left",
    "Signed by",
    "Actions",
  ]);
  const [overdue, today, later] = rows() as [HTMLElement, HTMLElement, HTMLElement];
  expect(overdue).toHaveTextContent(/ROSSI, Dana\s*MRN KC-000007/);
  expect(overdue).toHaveTextContent("02-Mar-2026");
  expect(overdue).toHaveTextContent("09-Mar-2026");
  expect(overdue).toHaveTextContent("Dr Amara Okafor");
  // Overdue is said in words, in a tag: never by colour alone.
  expect(overdue.querySelector(".tag.rems-overdue")).toHaveTextContent("2 days overdue");
  expect(today).toHaveTextContent("Due today");
  expect(today.querySelector(".rems-overdue")).toBeNull();
  expect(later).toHaveTextContent("3 days left");
  expect(later).toHaveTextContent("Not recorded");

  // Each row: export the form, mark it submitted; names say which patient and session.
  expect(within(overdue).getByRole("button", { name: /^Export REMS form/ })).toHaveAccessibleName(
    "Export REMS form for ROSSI, Dana, session of 2 March 2026",
  );
  expect(within(overdue).getByRole("button", { name: /^Mark submitted/ })).toHaveAccessibleName(
    "Mark submitted for ROSSI, Dana, session of 2 March 2026",
  );
  // One id per row: no duplicates.
  expect(document.getElementById("export-rems-form-301")).toBe(
    within(overdue).getByRole("button", { name: /^Export REMS form/ }),
  );
  expect(document.getElementById("export-rems-form-303")).not.toBeNull();
});

test("the patient's name opens their chart", async () => {
  const user = userEvent.setup();
  const { onopen } = setup();
  await table();
  await user.click(screen.getByRole("button", { name: "LEE, Ann" }));
  expect(onopen).toHaveBeenCalledWith(9);
});

test("with nothing waiting the table gives way to one message", async () => {
  setup({ due: () => [] });
  expect(await screen.findByText("No REMS forms are waiting.")).toBeInTheDocument();
  expect(document.getElementById("rems-due-table")).toBeNull();
});

test("users the core does not allow to read the clinical record see nothing", async () => {
  const { calls } = setup({
    due: () => ipcError("Forbidden", "Your role does not allow reading the clinical record"),
  });
  await waitFor(() => expect(callsOf(calls, "rems_due")).toHaveLength(1));
  await waitFor(() => expect(document.getElementById("rems-due")).toBeNull());
});

test("a row's export button exports that session's REMS form", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    handlers: {
      export_folder: () => "/srv/exports",
      export_rems_form: ({ path }) => ({ path }),
    },
  });
  await table();
  const second = rows()[1] as HTMLElement;
  await user.click(within(second).getByRole("button", { name: /^Export REMS form/ }));
  const result = await waitFor(() => {
    const el = document.getElementById("export-session-result-302");
    if (!el) throw new Error("not saved yet");
    return el;
  });
  const [args] = callsOf(calls, "export_rems_form") as [{ id: number; path: string }];
  expect(args.id).toBe(302);
  expect(result).toHaveTextContent(`REMS form saved to ${args.path}`);
});

test("marking a form submitted sends the form, removes the row and says so", async () => {
  const user = userEvent.setup();
  let waiting = [...DUE];
  const { calls } = setup({
    due: () => waiting,
    handlers: {
      mark_rems_submitted: () => {
        waiting = waiting.filter((d) => d.id !== 301);
        return submission();
      },
    },
  });
  await table();
  await user.click(
    within(rows()[0] as HTMLElement).getByRole("button", { name: /^Mark submitted/ }),
  );
  const dialog = screen.getByRole("dialog", { name: "Mark REMS form submitted" });
  expect(screen.getByRole("heading", { level: 2, name: "Mark REMS form submitted" })).toHaveFocus();
  // Name, date of birth and MRN repeated (the record is read for the date of birth).
  await waitFor(() =>
    expect(document.getElementById("rems-submit-patient")).toHaveTextContent("14-Feb-1981"),
  );
  expect(dialog).toHaveTextContent("02-Mar-2026");

  const date = within(dialog).getByLabelText("Date submitted") as HTMLInputElement;
  expect(date.id).toBe("rems-submittedOn");
  expect(date.value).toBe(todayIso());
  // Nothing pre-selected.
  expect(document.getElementById("rems-method-online")).not.toBeChecked();
  expect(document.getElementById("rems-method-fax")).not.toBeChecked();
  await user.clear(date);
  await user.type(date, "2026-03-10");
  await user.click(within(dialog).getByLabelText("Fax"));
  await user.type(within(dialog).getByLabelText("Confirmation number (optional)"), " RX-5521 ");
  expect(document.getElementById("rems-confirmation")).toBe(
    within(dialog).getByLabelText("Confirmation number (optional)"),
  );
  await user.click(within(dialog).getByRole("button", { name: "Mark form submitted" }));

  await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  expect(callsOf(calls, "mark_rems_submitted")).toEqual([
    { id: 301, form: { submittedOn: "2026-03-10", method: "fax", confirmation: "RX-5521" } },
  ]);
  await waitFor(() => expect(rows()).toHaveLength(2));
  expect(document.querySelector("[data-rems-id='301']")).toBeNull();
  const message = "REMS form for ROSSI, Dana (session of 02-Mar-2026) marked submitted";
  expect(document.getElementById("rems-success")).toHaveTextContent(message);
  await waitFor(() => expect(liveRegion.text).toBe(message));
  // Focus goes to the row that took its place.
  await waitFor(() => expect(screen.getByRole("button", { name: "LEE, Ann" })).toHaveFocus());
  expect(document.getElementById("rems-due-table")?.querySelector("caption")).toHaveTextContent(
    "2 REMS forms waiting, most urgent first",
  );
});

test("an empty confirmation number is sent as none", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    handlers: { mark_rems_submitted: () => submission({ method: "online", confirmation: null }) },
  });
  await table();
  await user.click(
    within(rows()[2] as HTMLElement).getByRole("button", { name: /^Mark submitted/ }),
  );
  await user.click(screen.getByLabelText("Online"));
  await user.click(screen.getByRole("button", { name: "Mark form submitted" }));
  await waitFor(() => expect(callsOf(calls, "mark_rems_submitted")).toHaveLength(1));
  expect(callsOf(calls, "mark_rems_submitted")[0]).toEqual({
    id: 303,
    form: { submittedOn: todayIso(), method: "online", confirmation: null },
  });
});

test("the core's field errors show in a summary and inline, keeping what was typed", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    handlers: {
      mark_rems_submitted: () =>
        ipcError("Validation", "Check the submission", [
          { field: "submittedOn", message: "The form cannot be submitted before the session" },
          { field: "method", message: "Choose online or fax" },
        ]),
    },
  });
  document.title = "Safety alerts – KetaChart";
  await table();
  await user.click(
    within(rows()[0] as HTMLElement).getByRole("button", { name: /^Mark submitted/ }),
  );
  const date = document.getElementById("rems-submittedOn") as HTMLInputElement;
  await user.clear(date);
  await user.type(date, "2026-03-01");
  await user.click(screen.getByRole("button", { name: "Mark form submitted" }));

  const summary = await waitFor(() => {
    const el = document.getElementById("rems-submit-errors");
    if (!el) throw new Error("no summary yet");
    return el;
  });
  expect(summary).toHaveTextContent("There is a problem");
  expect(summary).toHaveFocus();
  // Inline on the date field, with the same words and a hidden "Error:" prefix.
  expect(date).toHaveAttribute("aria-invalid", "true");
  expect(document.getElementById("rems-submittedOn-error")).toHaveTextContent(
    "Error: The form cannot be submitted before the session",
  );
  expect(date.getAttribute("aria-describedby")).toContain("rems-submittedOn-error");
  expect(date.value).toBe("2026-03-01");
  expect(document.getElementById("rems-method-error")).toHaveTextContent("Choose online or fax");
  expect(document.title).toBe("Error: Safety alerts – KetaChart");

  // The summary links focus their fields.
  await user.click(within(summary).getByRole("link", { name: "Choose online or fax" }));
  expect(document.getElementById("rems-method-online")).toHaveFocus();
  await user.click(
    within(summary).getByRole("link", {
      name: "The form cannot be submitted before the session",
    }),
  );
  expect(date).toHaveFocus();

  // Nothing was recorded: the row is still there, and cancelling restores the title.
  expect(callsOf(calls, "mark_rems_submitted")).toHaveLength(1);
  await user.click(screen.getByRole("button", { name: "Cancel" }));
  expect(screen.queryByRole("dialog")).toBeNull();
  expect(document.title).toBe("Safety alerts – KetaChart");
  expect(rows()).toHaveLength(3);
});

test("a form someone else already marked is explained, and the list is read again on closing", async () => {
  const user = userEvent.setup();
  let waiting = [...DUE];
  const { calls } = setup({
    due: () => waiting,
    handlers: {
      mark_rems_submitted: () => {
        waiting = waiting.slice(1);
        return ipcError("Conflict", "This form was already marked submitted on 2026-03-08");
      },
    },
  });
  await table();
  await user.click(
    within(rows()[0] as HTMLElement).getByRole("button", { name: /^Mark submitted/ }),
  );
  await user.click(screen.getByLabelText("Online"));
  await user.click(screen.getByRole("button", { name: "Mark form submitted" }));
  expect(
    await screen.findByText("This form was already marked submitted on 2026-03-08"),
  ).toBeVisible();
  await user.keyboard("{Escape}");
  await waitFor(() => expect(rows()).toHaveLength(2));
  expect(callsOf(calls, "rems_due").length).toBeGreaterThanOrEqual(2);
});
