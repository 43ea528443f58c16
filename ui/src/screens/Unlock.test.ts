import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test, vi } from "vitest";
import { callsOf, mockCommands, session } from "../test/ipc";
import Unlock from "./Unlock.svelte";

afterEach(() => clearMocks());

const WRONG = "The user name or passphrase is not correct";

function wrongPassphrase(): never {
  throw {
    code: "Validation",
    message: WRONG,
    fields: [{ field: "passphrase", message: WRONG }],
  };
}

test("no demo panel for a real clinic", () => {
  mockCommands({});
  render(Unlock, { clinicName: "Harbour Mind Clinic", demo: null, onunlocked: vi.fn() });
  expect(screen.getByRole("heading", { level: 1, name: "Unlock KetaChart" })).toBeInTheDocument();
  expect(screen.getByText("Harbour Mind Clinic")).toBeInTheDocument();
  expect(document.getElementById("demo-credentials")).toBeNull();
});

test("the demo clinic shows its published credentials", () => {
  mockCommands({});
  render(Unlock, {
    clinicName: "Demo clinic",
    demo: { username: "demo", passphrase: "fictional patients only" },
    onunlocked: vi.fn(),
  });
  const panel = document.getElementById("demo-credentials");
  expect(panel).not.toBeNull();
  expect(panel).toHaveTextContent("Demo clinic — fictional data");
  expect(panel).toHaveTextContent("demo");
  expect(panel).toHaveTextContent("fictional patients only");
});

test("a wrong passphrase shows the error summary, keeps the user name and clears the passphrase", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({ unlock: wrongPassphrase });
  const onunlocked = vi.fn();
  render(Unlock, { clinicName: "Harbour Mind Clinic", demo: null, onunlocked });

  await user.type(screen.getByLabelText("User name"), "a.okafor");
  await user.type(screen.getByLabelText("Passphrase"), "wrong horse battery");
  await user.click(screen.getByRole("button", { name: "Unlock" }));

  const summary = await screen.findByRole("alert");
  expect(summary).toHaveAttribute("id", "error-summary");
  expect(within(summary).getByRole("heading", { name: "There is a problem" })).toBeInTheDocument();
  expect(summary).toHaveFocus();
  const link = within(summary).getByRole("link", { name: WRONG });
  expect(link).toHaveAttribute("href", "#unlock-passphrase");

  const inline = document.getElementById("unlock-passphrase-error");
  expect(inline).toHaveTextContent(`Error: ${WRONG}`);
  expect(screen.getByLabelText("Passphrase")).toHaveAttribute("aria-invalid", "true");
  expect(screen.getByLabelText("User name")).toHaveValue("a.okafor");
  expect(screen.getByLabelText("Passphrase")).toHaveValue("");
  expect(document.title.startsWith("Error: ")).toBe(true);
  expect(onunlocked).not.toHaveBeenCalled();
  expect(callsOf(calls, "unlock")).toEqual([
    { username: "a.okafor", passphrase: "wrong horse battery" },
  ]);

  await user.click(link);
  expect(screen.getByLabelText("Passphrase")).toHaveFocus();
});

test("unlocking sends what was typed, shows progress and ignores a second press", async () => {
  const user = userEvent.setup();
  let finish: (value: unknown) => void = () => {};
  const calls = mockCommands({
    unlock: () => new Promise((resolve) => (finish = resolve)),
  });
  const onunlocked = vi.fn();
  render(Unlock, { clinicName: "Harbour Mind Clinic", demo: null, onunlocked });

  await user.type(screen.getByLabelText("User name"), "a.okafor");
  await user.type(screen.getByLabelText("Passphrase"), "correct horse battery staple");
  const button = screen.getByRole("button", { name: "Unlock" });
  await user.click(button);
  expect(await screen.findByText("Unlocking…")).toBeInTheDocument();
  await user.click(button);

  finish(session);
  await waitFor(() => expect(onunlocked).toHaveBeenCalledWith(session));
  expect(callsOf(calls, "unlock")).toEqual([
    { username: "a.okafor", passphrase: "correct horse battery staple" },
  ]);
});
