import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import App from "./App.svelte";
import { appStatus, callsOf, mockCommands, session } from "./test/ipc";

afterEach(() => clearMocks());

test("a locked vault opens on the unlock screen, with no demo panel for a real clinic", async () => {
  mockCommands({ app_status: () => appStatus() });
  render(App);
  expect(
    await screen.findByRole("heading", { level: 1, name: "Unlock KetaChart" }),
  ).toBeInTheDocument();
  expect(screen.getByText("Harbour Mind Clinic")).toBeInTheDocument();
  expect(document.getElementById("demo-credentials")).toBeNull();
});

test("the demo clinic's unlock screen shows its credentials", async () => {
  mockCommands({
    app_status: () =>
      appStatus({ clinicName: "Demo clinic", demo: { username: "demo", passphrase: "demo pass" } }),
  });
  render(App);
  await screen.findByRole("heading", { level: 1, name: "Unlock KetaChart" });
  expect(document.getElementById("demo-credentials")).toHaveTextContent("demo pass");
});

test("first launch shows clinic setup", async () => {
  mockCommands({ app_status: () => appStatus({ status: "setup", clinicName: null }) });
  render(App);
  expect(
    await screen.findByRole("heading", { level: 1, name: "Set up your clinic" }),
  ).toHaveFocus();
});

test("an unavailable vault says why, where, and what to do next", async () => {
  mockCommands({
    app_status: () =>
      appStatus({
        status: "unavailable",
        clinicName: null,
        problem: "The vault was made by a newer KetaChart (schema 9; this one reads up to 3)",
      }),
  });
  render(App);
  expect(
    await screen.findByRole("heading", { level: 1, name: "KetaChart cannot open this vault" }),
  ).toBeInTheDocument();
  expect(screen.getByText(/made by a newer KetaChart/)).toBeInTheDocument();
  expect(document.getElementById("vault-data-dir")).toHaveTextContent(
    "/home/clinic/.local/share/ketachart",
  );
  expect(screen.getByRole("heading", { name: "What to do next" })).toBeInTheDocument();
});

test("unlocking opens the patient list; Lock returns to the unlock screen", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({
    app_status: () => appStatus(),
    unlock: () => session,
    search_patients: () => ({ patients: [], more: false }),
    lock: () => null,
  });
  render(App);
  await user.type(await screen.findByLabelText("User name"), "a.okafor");
  await user.type(screen.getByLabelText("Passphrase"), "correct horse battery staple");
  await user.click(screen.getByRole("button", { name: "Unlock" }));

  expect(await screen.findByRole("heading", { level: 1, name: "Patients" })).toBeInTheDocument();
  expect(screen.getByText("Dr Amara Okafor")).toBeInTheDocument();

  await user.click(screen.getByRole("button", { name: "Lock" }));
  expect(
    await screen.findByRole("heading", { level: 1, name: "Unlock KetaChart" }),
  ).toBeInTheDocument();
  expect(callsOf(calls, "lock")).toHaveLength(1);
});

test("a command answered Locked goes back to the unlock screen", async () => {
  mockCommands({
    app_status: () => appStatus({ status: "unlocked", session }),
    search_patients: () => {
      throw { code: "Locked", message: "KetaChart is locked" };
    },
  });
  render(App);
  expect(
    await screen.findByRole("heading", { level: 1, name: "Unlock KetaChart" }),
  ).toBeInTheDocument();
});

test("an internal error is shown in words in a banner that stays until dismissed", async () => {
  const user = userEvent.setup();
  mockCommands({
    app_status: () => appStatus({ status: "unlocked", session }),
    search_patients: () => {
      throw { code: "Internal", message: "Something went wrong inside KetaChart" };
    },
  });
  render(App);
  const banner = await screen.findByRole("alert");
  expect(banner).toHaveTextContent("KetaChart could not finish that");
  expect(banner).toHaveTextContent("Something went wrong inside KetaChart");
  expect(banner).not.toHaveTextContent("[object Object]");
  await user.click(screen.getByRole("button", { name: "Dismiss" }));
  await waitFor(() => expect(screen.queryByRole("alert")).toBeNull());
});
