import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import { liveRegion } from "../../../lib/announce.svelte";
import type { ChartTaskView } from "../../../lib/bindings";
import { callsOf, ipcError, mockCommands, record, type Handler } from "../../../test/ipc";
import { chartTask } from "../tracker/test-fixtures";
import AskProviderButton from "./AskProviderButton.svelte";
import ChartTasksPanel from "./ChartTasksPanel.svelte";

afterEach(() => clearMocks());

const second = chartTask({ id: 62, text: "Record the PDMP check", createdByName: "Bill Ing" });

function setup(
  opts: { tasks?: ChartTaskView[]; canComplete?: boolean; handlers?: Record<string, Handler> } = {},
) {
  const calls = mockCommands({
    list_chart_tasks: () => opts.tasks ?? [chartTask(), second],
    ...opts.handlers,
  });
  render(ChartTasksPanel, {
    patientId: 7,
    patient: record({ id: 7 }),
    canComplete: opts.canComplete ?? true,
  });
  return { calls };
}

async function panel(): Promise<HTMLElement> {
  return waitFor(() => {
    const el = document.getElementById("chart-tasks");
    if (!el) throw new Error("no panel yet");
    return el;
  });
}

test("open tasks show who asked and when, each with Mark done", async () => {
  const { calls } = setup();
  const p = await panel();
  expect(callsOf(calls, "list_chart_tasks")).toEqual([{ patientId: 7, includeDone: false }]);
  expect(within(p).getByRole("heading", { level: 2 })).toHaveTextContent(
    "✎ Tasks from billing (2 open tasks)",
  );
  const [first] = within(p).getAllByRole("listitem");
  expect(first).toHaveTextContent(
    /Requested by billing:\s*Record a PHQ-9 within 30 days before the date of service\s*— Bea Biller, 02-Mar-2026/,
  );
  expect(within(first as HTMLElement).getByRole("button")).toHaveAccessibleName(
    "Mark done: Record a PHQ-9 within 30 days before the date of service",
  );
});

test("nothing shows when there are no open tasks", async () => {
  const { calls } = setup({ tasks: [] });
  await waitFor(() => expect(callsOf(calls, "list_chart_tasks")).toHaveLength(1));
  expect(document.getElementById("chart-tasks")).toBeNull();
});

test("billing staff see the tasks without Mark done", async () => {
  setup({ canComplete: false });
  const p = await panel();
  expect(within(p).queryByRole("button")).toBeNull();
});

test("Mark done asks for an optional note and removes the task", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    handlers: {
      complete_chart_task: () =>
        chartTask({
          doneAt: "2026-03-03T10:00:00Z",
          doneByName: "Dr Amara Okafor",
          doneNote: "Done",
        }),
    },
  });
  await panel();
  await user.click(document.getElementById("task-61-done") as HTMLElement);
  const dialog = await screen.findByRole("dialog", { name: "Mark the task done" });
  expect(within(dialog).getByRole("heading", { name: "Mark the task done" })).toHaveFocus();
  expect(dialog).toHaveTextContent("ROSSI, Dana");
  expect(dialog).toHaveTextContent("KC-000007");
  expect(dialog).toHaveTextContent("Record a PHQ-9 within 30 days");
  await user.type(
    within(dialog).getByLabelText("Note for billing (optional)"),
    "PHQ-9 recorded today",
  );
  await user.click(within(dialog).getByRole("button", { name: "Mark done" }));
  await waitFor(() => expect(callsOf(calls, "complete_chart_task")).toHaveLength(1));
  expect(callsOf(calls, "complete_chart_task")[0]).toEqual({
    id: 61,
    note: "PHQ-9 recorded today",
  });
  await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  const p = await panel();
  expect(within(p).getAllByRole("listitem")).toHaveLength(1);
  expect(p).toHaveTextContent("(1 open task)");
  await waitFor(() => expect(liveRegion.text).toContain("Task marked done"));
  expect(document.getElementById("task-62-done")).toHaveFocus();
});

test("a task someone else completed says so and the list is read again", async () => {
  const user = userEvent.setup();
  let done = false;
  const { calls } = setup({
    handlers: {
      list_chart_tasks: () => (done ? [second] : [chartTask(), second]),
      complete_chart_task: () => {
        done = true;
        return ipcError("Conflict", "This task was already completed by Dr Amara Okafor");
      },
    },
  });
  await panel();
  await user.click(document.getElementById("task-61-done") as HTMLElement);
  const dialog = await screen.findByRole("dialog");
  await user.click(within(dialog).getByRole("button", { name: "Mark done" }));
  expect(
    await within(dialog).findByText("This task was already completed by Dr Amara Okafor"),
  ).toBeInTheDocument();
  await waitFor(() => expect(callsOf(calls, "list_chart_tasks")).toHaveLength(2));
});

test("Ask a provider puts a task on the chart with the criterion and request it is for", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({
    create_chart_task: (args) => chartTask({ text: args["text"] as string }),
  });
  render(AskProviderButton, {
    patientId: 7,
    requestId: 31,
    criterion: "baseline_score",
    defaultText: "Record a PHQ-9 within 30 days before the date of service",
    label: "for Baseline severity on a rating scale",
  });
  const button = screen.getByRole("button", {
    name: "Ask a provider… for Baseline severity on a rating scale",
  });
  expect(button.id).toBe("ask-provider-baseline_score");
  await user.click(button);
  const dialog = await screen.findByRole("dialog", { name: "Ask a provider" });
  const box = within(dialog).getByLabelText("What needs to be recorded");
  expect(box).toHaveValue("Record a PHQ-9 within 30 days before the date of service");
  await user.type(box, ", please");
  await user.click(within(dialog).getByRole("button", { name: "Add task to the chart" }));
  await waitFor(() => expect(callsOf(calls, "create_chart_task")).toHaveLength(1));
  expect(callsOf(calls, "create_chart_task")[0]).toEqual({
    patientId: 7,
    requestId: 31,
    criterion: "baseline_score",
    text: "Record a PHQ-9 within 30 days before the date of service, please",
  });
  await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  expect(document.getElementById("ask-provider-baseline_score-done")).toHaveTextContent(
    "✓ Asked on 02-Mar-2026",
  );
});

test("Ask a provider shows the core's message on the box", async () => {
  const user = userEvent.setup();
  mockCommands({
    create_chart_task: () =>
      ipcError("Validation", "Check the task", [
        { field: "text", message: "Say what needs to be recorded" },
      ]),
  });
  render(AskProviderButton, { patientId: 7, defaultText: "" });
  await user.click(screen.getByRole("button", { name: "Ask a provider…" }));
  const dialog = await screen.findByRole("dialog");
  await user.click(within(dialog).getByRole("button", { name: "Add task to the chart" }));
  expect(
    await within(dialog).findByRole("link", { name: "Say what needs to be recorded" }),
  ).toHaveAttribute("href", "#ask-provider-general-dialog-text");
  expect(within(dialog).getByLabelText("What needs to be recorded")).toHaveAttribute(
    "aria-invalid",
    "true",
  );
});
