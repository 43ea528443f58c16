import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test, vi } from "vitest";
import { callsOf, ipcError, mockCommands, record, type Handler } from "../../test/ipc";
import RemoveDocumentDialog from "./RemoveDocumentDialog.svelte";
import { documentView } from "./test-fixtures";

afterEach(() => clearMocks());

function setup(handlers: Record<string, Handler>) {
  const calls = mockCommands(handlers);
  const onremoved = vi.fn();
  const onclose = vi.fn();
  render(RemoveDocumentDialog, { doc: documentView(), patient: record(), onremoved, onclose });
  return { calls, onremoved, onclose };
}

test("removing needs a reason: without one nothing is sent", async () => {
  const user = userEvent.setup();
  const { calls, onremoved } = setup({ remove_document: () => null });
  await user.click(screen.getByRole("button", { name: "Remove document" }));
  expect(await screen.findByRole("alert")).toHaveTextContent(
    "Enter why the document is being removed",
  );
  expect(document.getElementById("doc-remove-reason-error")).toHaveTextContent(
    "Error: Enter why the document is being removed",
  );
  expect(callsOf(calls, "remove_document")).toHaveLength(0);
  expect(onremoved).not.toHaveBeenCalled();
});

test("with a reason the core removes it, and the reason goes with the request", async () => {
  const user = userEvent.setup();
  const { calls, onremoved } = setup({ remove_document: () => null });
  expect(screen.getByRole("dialog")).toHaveTextContent("KC-000007");
  await user.type(
    screen.getByLabelText("Reason for removing it"),
    "Imported for the wrong patient",
  );
  await user.click(screen.getByRole("button", { name: "Remove document" }));
  await waitFor(() => expect(onremoved).toHaveBeenCalledWith(31));
  expect(callsOf(calls, "remove_document")).toEqual([
    { id: 31, reason: "Imported for the wrong patient" },
  ]);
});

test("the core's refusal is shown in the dialog", async () => {
  const user = userEvent.setup();
  const { onremoved } = setup({
    remove_document: () =>
      ipcError("Conflict", "A signed consent is the original record and cannot be removed"),
  });
  await user.type(screen.getByLabelText("Reason for removing it"), "Duplicate");
  await user.click(screen.getByRole("button", { name: "Remove document" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("cannot be removed");
  expect(onremoved).not.toHaveBeenCalled();
});
