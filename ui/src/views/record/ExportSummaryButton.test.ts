import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import { liveRegion } from "../../lib/announce.svelte";
import { CHOOSER_PROBLEM } from "../../lib/files";
import { callsOf, ipcError, mockCommands, type Handler } from "../../test/ipc";
import ExportSummaryButton from "./ExportSummaryButton.svelte";

afterEach(() => clearMocks());

const NAME = /^ketachart-summary-\d{4}-\d\d-\d\d-\d{6}\.pdf$/;

function setup(handlers: Record<string, Handler>) {
  const calls = mockCommands(handlers);
  render(ExportSummaryButton, { patientId: 7, patientName: "ROSSI, Dana" });
  return calls;
}

function button(): HTMLElement {
  return screen.getByRole("button", { name: "Export summary PDF" });
}

test("with an export folder set, the PDF is written there without a dialog", async () => {
  const user = userEvent.setup();
  const calls = setup({
    export_folder: () => "/srv/exports/",
    export_summary_pdf: ({ path }) => ({ path }),
  });
  expect(button()).toHaveAttribute("id", "export-summary");
  await user.click(button());

  const done = await waitFor(() => {
    const el = document.getElementById("export-summary-done");
    if (!el) throw new Error("not saved yet");
    return el;
  });
  const [args] = callsOf(calls, "export_summary_pdf") as [{ patientId: number; path: string }];
  expect(args.patientId).toBe(7);
  expect(args.path.startsWith("/srv/exports/")).toBe(true);
  expect(args.path.slice("/srv/exports/".length)).toMatch(NAME);
  // No patient details in the file name.
  expect(args.path).not.toMatch(/rossi|dana/i);
  expect(done).toHaveTextContent(`Summary saved to ${args.path}`);
  expect(callsOf(calls, "plugin:dialog|save")).toHaveLength(0);
  await waitFor(() => expect(liveRegion.text).toBe(`Summary saved to ${args.path}`));
  expect(document.getElementById("export-summary-error")).toBeNull();
});

test("without an export folder, a save dialog for PDFs asks where, naming the patient", async () => {
  const user = userEvent.setup();
  const calls = setup({
    export_folder: () => null,
    "plugin:dialog|save": () => "/home/clinic/rossi.pdf",
    export_summary_pdf: () => ({ path: "/home/clinic/rossi.pdf" }),
  });
  await user.click(button());
  expect(await screen.findByText(/Summary saved to/)).toHaveTextContent(
    "Summary saved to /home/clinic/rossi.pdf",
  );
  const [dialog] = callsOf(calls, "plugin:dialog|save") as [
    { options: { title: string; defaultPath: string; filters: unknown } },
  ];
  expect(dialog.options.defaultPath).toMatch(NAME);
  expect(dialog.options.title).toBe("Export summary PDF for ROSSI, Dana");
  expect(dialog.options.filters).toEqual([{ name: "PDF document", extensions: ["pdf"] }]);
  expect(callsOf(calls, "export_summary_pdf")).toEqual([
    { patientId: 7, path: "/home/clinic/rossi.pdf" },
  ]);
});

test("cancelling the dialog does nothing", async () => {
  const user = userEvent.setup();
  const calls = setup({
    export_folder: () => null,
    "plugin:dialog|save": () => null,
  });
  await user.click(button());
  await waitFor(() => expect(callsOf(calls, "plugin:dialog|save")).toHaveLength(1));
  await waitFor(() => expect(screen.queryByText("Saving the PDF…")).toBeNull());
  expect(callsOf(calls, "export_summary_pdf")).toHaveLength(0);
  expect(document.getElementById("export-summary-done")).toBeNull();
  expect(document.getElementById("export-summary-error")).toBeNull();
});

test("a dialog that cannot open is explained", async () => {
  const user = userEvent.setup();
  setup({
    export_folder: () => null,
    "plugin:dialog|save": () => {
      throw new Error("no file chooser portal");
    },
  });
  await user.click(button());
  const error = await waitFor(() => {
    const el = document.getElementById("export-summary-error");
    if (!el) throw new Error("no error yet");
    return el;
  });
  expect(error).toHaveTextContent("The summary was not saved");
  expect(error).toHaveTextContent(CHOOSER_PROBLEM);
});

test("the core's reasons are shown next to the button until dismissed", async () => {
  const user = userEvent.setup();
  setup({
    export_folder: () => "/srv/exports",
    export_summary_pdf: () =>
      ipcError("Validation", "The summary could not be saved", [
        { field: "path", message: "The folder /srv/exports does not exist" },
      ]),
  });
  await user.click(button());
  const error = await waitFor(() => {
    const el = document.getElementById("export-summary-error");
    if (!el) throw new Error("no error yet");
    return el;
  });
  expect(error).toHaveTextContent("The folder /srv/exports does not exist");
  expect(document.getElementById("export-summary-done")).toBeNull();
  await user.click(screen.getByRole("button", { name: "Dismiss" }));
  expect(document.getElementById("export-summary-error")).toBeNull();
});

test("a core error without fields shows its message", async () => {
  const user = userEvent.setup();
  setup({
    export_folder: () => "/srv/exports",
    export_summary_pdf: () => ipcError("NotFound", "This patient is no longer in the vault"),
  });
  await user.click(button());
  expect(await screen.findByText("This patient is no longer in the vault")).toBeVisible();
});

test("app-level failures are left to the app's banner", async () => {
  const user = userEvent.setup();
  const calls = setup({
    export_folder: () => "/srv/exports",
    export_summary_pdf: () => ipcError("Internal", "Something broke"),
  });
  await user.click(button());
  await waitFor(() => expect(callsOf(calls, "export_summary_pdf")).toHaveLength(1));
  await waitFor(() => expect(screen.queryByText("Saving the PDF…")).toBeNull());
  expect(document.getElementById("export-summary-error")).toBeNull();
  expect(document.getElementById("export-summary-done")).toBeNull();
});

test("while saving, progress shows and a second click is ignored", async () => {
  const user = userEvent.setup();
  let finish: (v: { path: string }) => void = () => {};
  const calls = setup({
    export_folder: () => "/srv/exports",
    export_summary_pdf: () =>
      new Promise<{ path: string }>((resolve) => {
        finish = resolve;
      }),
  });
  await user.click(button());
  expect(await screen.findByText("Saving the PDF…")).toBeVisible();
  expect(button()).toHaveAttribute("aria-describedby", "export-summary-busy");
  await user.click(button());
  await user.click(button());
  expect(callsOf(calls, "export_summary_pdf")).toHaveLength(1);
  expect(callsOf(calls, "export_folder")).toHaveLength(1);
  finish({ path: "/srv/exports/x.pdf" });
  expect(await screen.findByText(/Summary saved to/)).toHaveTextContent("/srv/exports/x.pdf");
  expect(screen.queryByText("Saving the PDF…")).toBeNull();
});
