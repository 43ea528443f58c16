import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import { liveRegion } from "../../lib/announce.svelte";
import { CHOOSER_PROBLEM } from "../../lib/files";
import { callsOf, ipcError, mockCommands, type Handler } from "../../test/ipc";
import ExportSessionPdfButton from "./ExportSessionPdfButton.svelte";

afterEach(() => clearMocks());

function setup(
  handlers: Record<string, Handler>,
  props: { id?: number; kind?: "rems" | "summary"; disabled?: boolean } = {},
) {
  const calls = mockCommands(handlers);
  render(ExportSessionPdfButton, { id: props.id ?? 42, kind: props.kind ?? "rems", ...props });
  return calls;
}

async function byId(id: string): Promise<HTMLElement> {
  return waitFor(() => {
    const el = document.getElementById(id);
    if (!el) throw new Error(`no #${id} yet`);
    return el;
  });
}

test("Export REMS form writes the session's form to the export folder and says where", async () => {
  const user = userEvent.setup();
  const calls = setup({
    export_folder: () => "/srv/exports",
    export_rems_form: ({ path }) => ({ path }),
  });
  const button = screen.getByRole("button", { name: "Export REMS form" });
  expect(button).toHaveAttribute("id", "export-rems-form");
  await user.click(button);

  const result = await byId("export-session-result");
  const [args] = callsOf(calls, "export_rems_form") as [{ id: number; path: string }];
  expect(args.id).toBe(42);
  expect(args.path).toMatch(/^\/srv\/exports\/ketachart-rems-form-\d{4}-\d\d-\d\d-\d{6}\.pdf$/);
  expect(result).toHaveTextContent(`REMS form saved to ${args.path}`);
  expect(callsOf(calls, "export_session_summary")).toHaveLength(0);
  expect(callsOf(calls, "plugin:dialog|save")).toHaveLength(0);
  await waitFor(() => expect(liveRegion.text).toBe(`REMS form saved to ${args.path}`));
});

test("Export session summary asks where through the save dialog when no export folder is set", async () => {
  const user = userEvent.setup();
  const calls = setup(
    {
      export_folder: () => null,
      "plugin:dialog|save": () => "/home/clinic/session.pdf",
      export_session_summary: () => ({ path: "/home/clinic/session.pdf" }),
    },
    { id: 9, kind: "summary" },
  );
  const button = screen.getByRole("button", { name: "Export session summary" });
  expect(button).toHaveAttribute("id", "export-session-summary");
  await user.click(button);
  expect(await byId("export-session-result")).toHaveTextContent(
    "Session summary saved to /home/clinic/session.pdf",
  );
  const [dialog] = callsOf(calls, "plugin:dialog|save") as [
    { options: { title: string; defaultPath: string; filters: unknown } },
  ];
  expect(dialog.options.title).toBe("Export session summary");
  expect(dialog.options.defaultPath).toMatch(/^ketachart-session-summary-[\d-]+\.pdf$/);
  expect(dialog.options.filters).toEqual([{ name: "PDF document", extensions: ["pdf"] }]);
  expect(callsOf(calls, "export_session_summary")).toEqual([
    { id: 9, path: "/home/clinic/session.pdf" },
  ]);
});

test("cancelling the save dialog exports nothing", async () => {
  const user = userEvent.setup();
  const calls = setup({ export_folder: () => null, "plugin:dialog|save": () => null });
  await user.click(screen.getByRole("button", { name: "Export REMS form" }));
  await waitFor(() => expect(callsOf(calls, "plugin:dialog|save")).toHaveLength(1));
  await waitFor(() => expect(screen.queryByText("Saving the PDF…")).toBeNull());
  expect(callsOf(calls, "export_rems_form")).toHaveLength(0);
  expect(document.getElementById("export-session-result")).toBeNull();
});

test("a dialog that cannot open is explained", async () => {
  const user = userEvent.setup();
  setup({
    export_folder: () => null,
    "plugin:dialog|save": () => {
      throw new Error("no portal");
    },
  });
  await user.click(screen.getByRole("button", { name: "Export REMS form" }));
  expect(await byId("export-session-error")).toHaveTextContent(CHOOSER_PROBLEM);
});

test("the core's refusal (an unsigned session) is shown until dismissed", async () => {
  const user = userEvent.setup();
  setup({
    export_folder: () => "/srv/exports",
    export_rems_form: () =>
      ipcError(
        "Conflict",
        "Sign the session first: the REMS form is filed from the signed session",
      ),
  });
  await user.click(screen.getByRole("button", { name: "Export REMS form" }));
  const error = await byId("export-session-error");
  expect(error).toHaveTextContent("The REMS form was not saved");
  expect(error).toHaveTextContent("Sign the session first");
  expect(document.getElementById("export-session-result")).toBeNull();
  await waitFor(() => expect(liveRegion.text).toMatch(/^The REMS form was not saved\. Sign/));
  await user.click(screen.getByRole("button", { name: /^Dismiss/ }));
  expect(document.getElementById("export-session-error")).toBeNull();
});

test("field errors from the core are listed", async () => {
  const user = userEvent.setup();
  setup({
    export_folder: () => "/srv/exports",
    export_rems_form: () =>
      ipcError("Validation", "The file could not be saved", [
        { field: "path", message: "The folder /srv/exports does not exist" },
      ]),
  });
  await user.click(screen.getByRole("button", { name: "Export REMS form" }));
  expect(await byId("export-session-error")).toHaveTextContent(
    "The folder /srv/exports does not exist",
  );
});

test("app-level failures are left to the app's banner", async () => {
  const user = userEvent.setup();
  const calls = setup({
    export_folder: () => "/srv/exports",
    export_rems_form: () => ipcError("Internal", "Something broke"),
  });
  await user.click(screen.getByRole("button", { name: "Export REMS form" }));
  await waitFor(() => expect(callsOf(calls, "export_rems_form")).toHaveLength(1));
  await waitFor(() => expect(screen.queryByText("Saving the PDF…")).toBeNull());
  expect(document.getElementById("export-session-error")).toBeNull();
  expect(document.getElementById("export-session-result")).toBeNull();
});

test("while saving, progress shows and a second click is ignored", async () => {
  const user = userEvent.setup();
  let finish: (v: { path: string }) => void = () => {};
  const calls = setup({
    export_folder: () => "/srv/exports",
    export_rems_form: () =>
      new Promise<{ path: string }>((resolve) => {
        finish = resolve;
      }),
  });
  const button = screen.getByRole("button", { name: "Export REMS form" });
  await user.click(button);
  expect(await screen.findByText("Saving the PDF…")).toBeVisible();
  expect(button).toHaveAttribute("aria-describedby", "export-session-busy");
  await user.click(button);
  expect(callsOf(calls, "export_rems_form")).toHaveLength(1);
  finish({ path: "/srv/exports/x.pdf" });
  expect(await byId("export-session-result")).toHaveTextContent("/srv/exports/x.pdf");
});

test("a disabled button exports nothing", async () => {
  const user = userEvent.setup();
  const calls = setup({ export_folder: () => "/srv/exports" }, { disabled: true });
  const button = screen.getByRole("button", { name: "Export REMS form" });
  expect(button).toBeDisabled();
  await user.click(button);
  expect(calls).toHaveLength(0);
});
