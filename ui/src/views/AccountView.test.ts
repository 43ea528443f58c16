import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import { callsOf, mockCommands, session } from "../test/ipc";
import AccountView from "./AccountView.svelte";

afterEach(() => clearMocks());

const myProfile = {
  userId: 1,
  username: "a.okafor",
  displayName: "Dr Amara Okafor",
  givenName: null,
  familyName: null,
  credentials: null,
  npi: null,
  phone: null,
  email: null,
  prescriber: false,
};

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no #${id}`);
  return el;
}

test("a wrong current passphrase is shown on that field", async () => {
  const user = userEvent.setup();
  const wrong = "Your passphrase is not correct";
  mockCommands({
    passphrase_strength: () => null,
    get_my_profile: () => myProfile,
    change_own_password: () => {
      throw {
        code: "Validation",
        message: wrong,
        fields: [{ field: "currentPassphrase", message: wrong }],
      };
    },
  });
  render(AccountView, { session });
  expect(screen.getByRole("heading", { level: 1, name: "My account" })).toHaveFocus();
  expect(screen.getByText("Administrator, Provider")).toBeInTheDocument();
  await user.type(byId("account-currentPassphrase"), "not it");
  await user.type(byId("account-passphrase"), "silver birch lantern");
  await user.type(byId("account-passphraseConfirmation"), "silver birch lantern");
  await user.click(screen.getByRole("button", { name: "Change passphrase" }));
  const summary = await screen.findByRole("alert");
  expect(within(summary).getByRole("link", { name: wrong })).toHaveAttribute(
    "href",
    "#account-currentPassphrase",
  );
  expect(byId("account-currentPassphrase-error")).toHaveTextContent(`Error: ${wrong}`);
  expect(byId("account-passphrase")).toHaveValue("silver birch lantern");
});

test("changing the passphrase says it worked", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({
    passphrase_strength: () => null,
    get_my_profile: () => myProfile,
    change_own_password: () => null,
  });
  render(AccountView, { session });
  await user.type(byId("account-currentPassphrase"), "correct horse battery staple");
  await user.type(byId("account-passphrase"), "silver birch lantern");
  await user.type(byId("account-passphraseConfirmation"), "silver birch lantern");
  await user.click(screen.getByRole("button", { name: "Change passphrase" }));
  expect(await screen.findByText(/Your passphrase has been changed/)).toBeInTheDocument();
  expect(byId("account-passphrase")).toHaveValue("");
  expect(callsOf(calls, "change_own_password")).toEqual([
    {
      form: {
        currentPassphrase: "correct horse battery staple",
        passphrase: "silver birch lantern",
        passphraseConfirmation: "silver birch lantern",
      },
    },
  ]);
});
