import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, test, vi } from "vitest";
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

test("after an idle lock the unlock screen says why and that anyone can sign in", () => {
  mockCommands({});
  render(Unlock, {
    clinicName: "Harbour Mind Clinic",
    demo: null,
    notice: {
      id: "idle-locked-notice",
      text: "Locked after 10 minutes without activity. Sign in to continue — any user can sign in here.",
    },
    onunlocked: vi.fn(),
  });
  const notice = document.getElementById("idle-locked-notice");
  expect(notice).toHaveTextContent("Locked after 10 minutes without activity.");
  expect(notice).toHaveTextContent("any user can sign in here");
});

test("a throttled sign-in shows the wait in the core's words", async () => {
  const user = userEvent.setup();
  const wait = "Too many failed sign-in attempts. Wait 30 seconds, then try again";
  mockCommands({
    unlock: () => {
      throw { code: "Validation", message: wait, fields: [{ field: "passphrase", message: wait }] };
    },
  });
  render(Unlock, { clinicName: "Harbour Mind Clinic", demo: null, onunlocked: vi.fn() });
  await user.type(screen.getByLabelText("User name"), "a.okafor");
  await user.type(screen.getByLabelText("Passphrase"), "guess");
  await user.click(screen.getByRole("button", { name: "Unlock" }));
  expect(await screen.findByRole("link", { name: wait })).toHaveAttribute(
    "href",
    "#unlock-passphrase",
  );
  expect(document.getElementById("unlock-passphrase-error")).toHaveTextContent(wait);
});

describe("the recovery key", () => {
  const KEY_ERROR = "This recovery key does not open this vault. Check it against the printout";
  const ADMIN_ERROR = "Enter the user name of an administrator whose account is enabled";
  const MATCH_ERROR = "The passphrases do not match";

  async function openRecovery(user: ReturnType<typeof userEvent.setup>) {
    await user.click(
      screen.getByRole("button", { name: "Forgotten passphrase? Use the recovery key" }),
    );
    expect(
      screen.getByRole("heading", { level: 1, name: "Unlock with the recovery key" }),
    ).toHaveFocus();
  }

  test("field errors link to the recovery form's fields and keep what was typed", async () => {
    const user = userEvent.setup();
    const calls = mockCommands({
      passphrase_strength: () => ({
        score: 4,
        label: "Very strong",
        acceptable: true,
        problem: null,
        suggestions: [],
        minLength: 12,
      }),
      unlock_with_recovery_key: () => {
        throw {
          code: "Validation",
          message: "3 problems",
          fields: [
            { field: "recoveryKey", message: KEY_ERROR },
            { field: "username", message: ADMIN_ERROR },
            { field: "passphraseConfirmation", message: MATCH_ERROR },
          ],
        };
      },
    });
    const onunlocked = vi.fn();
    render(Unlock, { clinicName: "Harbour Mind Clinic", demo: null, onunlocked });
    await openRecovery(user);

    await user.type(
      screen.getByLabelText("Recovery key"),
      "7kqm 2xpa d4rt hj6w nb3c zlve qs5g myuf",
    );
    await user.type(screen.getByLabelText("Administrator's user name"), "j.reyes");
    await user.type(screen.getByLabelText("New passphrase"), "quiet lantern orchard");
    await user.type(screen.getByLabelText("Confirm the new passphrase"), "quiet lantern");
    await user.click(screen.getByRole("button", { name: "Set passphrase and unlock" }));

    const summary = await screen.findByRole("alert");
    expect(summary).toHaveFocus();
    expect(
      within(summary)
        .getAllByRole("link")
        .map((a) => [a.textContent, a.getAttribute("href")]),
    ).toEqual([
      [KEY_ERROR, "#recovery-recoveryKey"],
      [ADMIN_ERROR, "#recovery-username"],
      [MATCH_ERROR, "#recovery-passphraseConfirmation"],
    ]);
    expect(document.getElementById("recovery-recoveryKey-error")).toHaveTextContent(
      `Error: ${KEY_ERROR}`,
    );
    expect(document.getElementById("recovery-username-error")).toHaveTextContent(ADMIN_ERROR);
    expect(document.getElementById("recovery-passphraseConfirmation-error")).toHaveTextContent(
      MATCH_ERROR,
    );
    expect(screen.getByLabelText("Administrator's user name")).toHaveValue("j.reyes");
    expect(screen.getByLabelText("Recovery key")).toHaveValue(
      "7kqm 2xpa d4rt hj6w nb3c zlve qs5g myuf",
    );
    expect(document.title).toBe("Error: Unlock with the recovery key – KetaChart");
    expect(onunlocked).not.toHaveBeenCalled();
    expect(callsOf(calls, "unlock_with_recovery_key")).toEqual([
      {
        form: {
          recoveryKey: "7kqm 2xpa d4rt hj6w nb3c zlve qs5g myuf",
          username: "j.reyes",
          passphrase: "quiet lantern orchard",
          passphraseConfirmation: "quiet lantern",
        },
      },
    ]);

    // The strength meter works on this form too.
    const meter = document.getElementById("recovery-passphrase-strength") as HTMLElement;
    await waitFor(() => expect(meter).toHaveTextContent("Strength: Very strong"));
  });

  test("a correct key signs the administrator in", async () => {
    const user = userEvent.setup();
    mockCommands({
      passphrase_strength: () => null,
      unlock_with_recovery_key: () => session,
    });
    const onunlocked = vi.fn();
    render(Unlock, { clinicName: "Harbour Mind Clinic", demo: null, onunlocked });
    await openRecovery(user);
    await user.type(
      screen.getByLabelText("Recovery key"),
      "7KQM-2XPA-D4RT-HJ6W-NB3C-ZLVE-QS5G-MYUF",
    );
    await user.type(screen.getByLabelText("Administrator's user name"), "a.okafor");
    await user.type(screen.getByLabelText("New passphrase"), "quiet lantern orchard");
    await user.type(screen.getByLabelText("Confirm the new passphrase"), "quiet lantern orchard");
    await user.click(screen.getByRole("button", { name: "Set passphrase and unlock" }));
    await waitFor(() => expect(onunlocked).toHaveBeenCalledWith(session));
  });

  test("going back to the passphrase form", async () => {
    const user = userEvent.setup();
    mockCommands({});
    render(Unlock, { clinicName: "Harbour Mind Clinic", demo: null, onunlocked: vi.fn() });
    await openRecovery(user);
    await user.click(screen.getByRole("button", { name: "Sign in with a passphrase instead" }));
    expect(screen.getByRole("heading", { level: 1, name: "Unlock KetaChart" })).toHaveFocus();
  });
});
