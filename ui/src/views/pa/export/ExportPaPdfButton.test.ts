import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import { callsOf, mockCommands } from "../../../test/ipc";
import ExportPaPdfButton from "./ExportPaPdfButton.svelte";

afterEach(() => clearMocks());

test("the packet can append the attached documents", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({
    export_folder: () => "/srv/exports",
    export_pa_packet: ({ path }) => ({ path }),
  });
  render(ExportPaPdfButton, { kind: "packet", requestId: 5, attachments: 2 });
  await user.click(screen.getByLabelText("Append the documents in its attachments index"));
  await user.click(screen.getByRole("button", { name: "Export packet (PDF)" }));
  await waitFor(() => expect(callsOf(calls, "export_pa_packet")).toHaveLength(1));
  expect(callsOf(calls, "export_pa_packet")[0]).toMatchObject({ id: 5, appendDocuments: true });
});

test("without attached documents there is no box and nothing is appended", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({
    export_folder: () => "/srv/exports",
    export_pa_packet: ({ path }) => ({ path }),
  });
  render(ExportPaPdfButton, { kind: "packet", requestId: 5 });
  expect(screen.queryByLabelText(/Append the documents/)).toBeNull();
  await user.click(screen.getByRole("button", { name: "Export packet (PDF)" }));
  await waitFor(() => expect(callsOf(calls, "export_pa_packet")).toHaveLength(1));
  expect(callsOf(calls, "export_pa_packet")[0]).toMatchObject({ appendDocuments: false });
});
