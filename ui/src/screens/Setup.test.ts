import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test, vi } from "vitest";
import type { PassphraseStrength } from "../lib/bindings";
import { callsOf, mockCommands, session } from "../test/ipc";
import Setup from "./Setup.svelte";

afterEach(() => clearMocks());

function strength(passphrase: string): PassphraseStrength {
  const long = passphrase.length >= 12;
  return {
    score: long ? 4 : 1,
    label: long ? "Very strong" : "Weak",
    acceptable: long,
    problem: long ? null : "Passphrase must be 12 characters or more",
    suggestions: [],
    minLength: 12,
  };
}

async function fill(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText("Clinic name"), "Harbour Mind Clinic");
  await user.type(screen.getByLabelText("Your full name"), "Dr Amara Okafor");
  await user.type(screen.getByLabelText("User name"), "a.okafor");
}

test("the strength meter follows the passphrase, in words, with the clinic details as context", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({
    passphrase_strength: ({ passphrase }) => strength(`${passphrase}`),
  });
  render(Setup, { onunlocked: vi.fn() });
  await fill(user);

  await user.type(screen.getByLabelText("Passphrase"), "short");
  const meter = document.getElementById("passphrase-strength") as HTMLElement;
  const words = within(meter).getByRole("status");
  await waitFor(() => expect(words).toHaveTextContent("Strength: Weak"));
  expect(words).toHaveTextContent("Passphrase must be 12 characters or more");

  await user.type(screen.getByLabelText("Passphrase"), " harbour kettle violet");
  await waitFor(() => expect(words).toHaveTextContent("Strength: Very strong"));
  expect(words).toHaveTextContent("Meets the minimum");

  const last = callsOf(calls, "passphrase_strength").at(-1);
  expect(last).toEqual({
    passphrase: "short harbour kettle violet",
    context: ["Harbour Mind Clinic", "a.okafor", "Dr Amara Okafor"],
  });
  // Debounced: far fewer calls than keystrokes.
  expect(callsOf(calls, "passphrase_strength").length).toBeLessThan(10);
});

test("creating the clinic sends the form and signs in", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({
    passphrase_strength: ({ passphrase }) => strength(`${passphrase}`),
    create_clinic: () => session,
  });
  const onunlocked = vi.fn();
  render(Setup, { onunlocked });
  await fill(user);
  await user.type(screen.getByLabelText("Passphrase"), "harbour kettle violet");
  await user.type(screen.getByLabelText("Confirm passphrase"), "harbour kettle violet");
  await user.click(screen.getByRole("button", { name: "Create clinic" }));

  await waitFor(() => expect(onunlocked).toHaveBeenCalledWith(session));
  expect(callsOf(calls, "create_clinic")).toEqual([
    {
      form: {
        clinicName: "Harbour Mind Clinic",
        adminDisplayName: "Dr Amara Okafor",
        adminUsername: "a.okafor",
        passphrase: "harbour kettle violet",
        passphraseConfirmation: "harbour kettle violet",
      },
    },
  ]);
});

test("setup errors link to the setup fields", async () => {
  const user = userEvent.setup();
  mockCommands({
    passphrase_strength: ({ passphrase }) => strength(`${passphrase}`),
    create_clinic: () => {
      throw {
        code: "Validation",
        message: "2 problems",
        fields: [
          { field: "clinicName", message: "Enter the clinic name" },
          { field: "passphraseConfirmation", message: "The passphrases do not match" },
        ],
      };
    },
  });
  render(Setup, { onunlocked: vi.fn() });
  await user.click(screen.getByRole("button", { name: "Create clinic" }));
  const summary = await screen.findByRole("alert");
  expect(
    within(summary)
      .getAllByRole("link")
      .map((a) => a.getAttribute("href")),
  ).toEqual(["#setup-clinic-name", "#setup-passphrase-confirm"]);
  expect(document.getElementById("setup-clinic-name-error")).toHaveTextContent(
    "Error: Enter the clinic name",
  );
});
