import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test, vi } from "vitest";
import type { NewUserForm } from "../lib/bindings";
import { callsOf, mockCommands, session, userRow } from "../test/ipc";
import UsersView from "./UsersView.svelte";

afterEach(() => clearMocks());

const okafor = userRow();
const reyes = userRow({
  id: 2,
  username: "j.reyes",
  displayName: "Jo Reyes",
  roles: ["nurse"],
  createdAt: "2026-05-02T10:30:00.000Z",
});
const patel = userRow({
  id: 3,
  username: "s.patel",
  displayName: "Sam Patel",
  roles: ["billing"],
  disabled: true,
});

const strength = () => ({
  score: 4,
  label: "Very strong",
  acceptable: true,
  problem: null,
  suggestions: [],
  minLength: 12,
});

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no #${id}`);
  return el;
}

test("lists every account with roles in words, status in words and the creation date", async () => {
  mockCommands({ list_users: () => [okafor, reyes, patel] });
  render(UsersView, { session });
  const table = await waitFor(() => byId("users-table"));
  expect(table.querySelector("caption")).toHaveTextContent("3 users");
  const rows = within(table).getAllByRole("row").slice(1);
  expect(rows[0]).toHaveTextContent("Dr Amara Okafor (you)");
  expect(rows[0]).toHaveTextContent("Administrator, Provider");
  expect(rows[0]).toHaveTextContent("Enabled");
  expect(rows[0]).toHaveTextContent("01-Apr-2026");
  expect(rows[1]).toHaveTextContent("Nurse or technician");
  expect(rows[2]).toHaveTextContent("Disabled");
  // What each role may do is explained on the page.
  expect(screen.getByText("Charts sessions and vitals; cannot sign provider notes")).toBeVisible();
  expect(screen.getByText("Coverage and prior authorization; no clinical edits")).toBeVisible();
});

test("adding a user shows the core's errors in the summary and inline, keeping what was typed", async () => {
  const user = userEvent.setup();
  const messages = {
    username: "This user name is already taken; choose another",
    displayName: "Enter the user's full name",
    roles: "Select at least one role",
    passphrase: "Passphrase must be 12 characters or more",
    passphraseConfirmation: "The passphrases do not match",
    adminPassphrase: "Your passphrase is not correct",
  };
  const calls = mockCommands({
    list_users: () => [okafor],
    passphrase_strength: strength,
    create_user: () => {
      throw {
        code: "Validation",
        message: "6 problems",
        fields: Object.entries(messages).map(([field, message]) => ({ field, message })),
      };
    },
  });
  render(UsersView, { session });
  await user.click(await screen.findByRole("button", { name: "Add user" }));
  expect(screen.getByRole("heading", { level: 1, name: "Add user" })).toHaveFocus();

  await user.type(byId("user-username"), "a.okafor");
  await user.type(byId("user-passphrase"), "short");
  await user.type(byId("user-passphraseConfirmation"), "shorter");
  await user.type(byId("user-adminPassphrase"), "wrong");
  await user.click(byId("save-user"));

  const summary = await screen.findByRole("alert");
  expect(summary).toHaveFocus();
  expect(
    within(summary)
      .getAllByRole("link")
      .map((a) => [a.textContent, a.getAttribute("href")]),
  ).toEqual([
    [messages.username, "#user-username"],
    [messages.displayName, "#user-displayName"],
    [messages.roles, "#user-role-admin"],
    [messages.passphrase, "#user-passphrase"],
    [messages.passphraseConfirmation, "#user-passphraseConfirmation"],
    [messages.adminPassphrase, "#user-adminPassphrase"],
  ]);
  expect(byId("user-username-error")).toHaveTextContent(`Error: ${messages.username}`);
  expect(byId("user-role-error")).toHaveTextContent(`Error: ${messages.roles}`);
  expect(byId("user-adminPassphrase-error")).toHaveTextContent(messages.adminPassphrase);
  expect(byId("user-username")).toHaveValue("a.okafor");
  expect(byId("user-passphrase")).toHaveValue("short");
  // The administrator's own passphrase is never kept.
  expect(byId("user-adminPassphrase")).toHaveValue("");
  expect(document.title).toBe("Error: Add user – KetaChart");

  await user.click(within(summary).getByRole("link", { name: messages.roles }));
  expect(byId("user-role-admin")).toHaveFocus();

  const [{ form }] = callsOf(calls, "create_user") as [{ form: NewUserForm }];
  expect(form).toEqual({
    username: "a.okafor",
    displayName: "",
    roles: [],
    passphrase: "short",
    passphraseConfirmation: "shorter",
    adminPassphrase: "wrong",
  });
});

test("a new user with roles is added and appears in the list", async () => {
  const user = userEvent.setup();
  const added = userRow({
    id: 4,
    username: "m.chen",
    displayName: "Mei Chen",
    roles: ["provider", "nurse"],
  });
  const calls = mockCommands({
    list_users: () => [okafor],
    passphrase_strength: strength,
    create_user: () => added,
  });
  render(UsersView, { session });
  await user.click(await screen.findByRole("button", { name: "Add user" }));
  // Nothing is pre-selected.
  for (const role of ["admin", "provider", "nurse", "billing"]) {
    expect(byId(`user-role-${role}`)).not.toBeChecked();
  }
  await user.type(byId("user-displayName"), "Mei Chen");
  await user.type(byId("user-username"), "m.chen");
  await user.click(byId("user-role-nurse"));
  await user.click(byId("user-role-provider"));
  await user.type(byId("user-passphrase"), "tidal copper meadow");
  await user.type(byId("user-passphraseConfirmation"), "tidal copper meadow");
  await user.type(byId("user-adminPassphrase"), "correct horse battery staple");
  await user.click(byId("save-user"));

  expect(await screen.findByText(/Mei Chen was added/)).toBeInTheDocument();
  expect(byId("users-table")).toHaveTextContent("Mei Chen");
  const [{ form }] = callsOf(calls, "create_user") as [{ form: NewUserForm }];
  // Roles go in the fixed role order, whatever order they were ticked in.
  expect(form.roles).toEqual(["provider", "nurse"]);
});

test("disabling asks first, and the core's refusal is shown as a problem", async () => {
  const user = userEvent.setup();
  const only = "This is the only enabled administrator. Give another user the admin role first";
  const calls = mockCommands({
    list_users: () => [okafor, userRow({ id: 5, username: "b.admin", displayName: "Bo Admin" })],
    disable_user: () => {
      throw { code: "Conflict", message: only };
    },
  });
  render(UsersView, { session });
  await user.click(await screen.findByRole("button", { name: "Bo Admin" }));
  await user.click(screen.getByRole("button", { name: "Disable account" }));
  expect(
    screen.getByRole("heading", { level: 1, name: "Disable Bo Admin's account?" }),
  ).toHaveFocus();
  expect(callsOf(calls, "disable_user")).toHaveLength(0);

  await user.click(byId("confirm-disable"));
  const problem = await screen.findByRole("alert");
  expect(problem).toHaveTextContent("There is a problem");
  expect(problem).toHaveTextContent(only);
  expect(callsOf(calls, "disable_user")).toEqual([{ userId: 5 }]);
});

test("your own account offers no Disable, and changing your own roles refreshes the session", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({
    list_users: () => [okafor, reyes],
    set_user_roles: () => ({ ...okafor, roles: ["admin"] }),
  });
  const onsessionchanged = vi.fn();
  render(UsersView, { session, onsessionchanged });
  await user.click(await screen.findByRole("button", { name: "Dr Amara Okafor" }));
  expect(document.getElementById("disable-user")).toBeNull();

  await user.click(screen.getByRole("button", { name: "Change roles" }));
  expect(byId("roles-role-admin")).toBeChecked();
  expect(byId("roles-role-provider")).toBeChecked();
  await user.click(byId("roles-role-provider"));
  await user.click(screen.getByRole("button", { name: "Save roles" }));

  expect(await screen.findByText("Roles saved")).toBeInTheDocument();
  expect(callsOf(calls, "set_user_roles")).toEqual([{ userId: 1, roles: ["admin"] }]);
  expect(onsessionchanged).toHaveBeenCalledTimes(1);
});

test("a disabled account is re-enabled by giving it a new passphrase", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({
    list_users: () => [okafor, patel],
    passphrase_strength: strength,
    reset_user_password: () => ({ ...patel, disabled: false }),
  });
  render(UsersView, { session });
  await user.click(await screen.findByRole("button", { name: "Sam Patel" }));
  await user.click(screen.getByRole("button", { name: "Re-enable account" }));
  await user.type(byId("reset-passphrase"), "amber willow harbour");
  await user.type(byId("reset-passphraseConfirmation"), "amber willow harbour");
  await user.type(byId("reset-adminPassphrase"), "correct horse battery staple");
  await user.click(byId("save-passphrase"));

  expect(await screen.findByText(/The account is enabled again/)).toBeInTheDocument();
  expect(callsOf(calls, "reset_user_password")).toEqual([
    {
      form: {
        userId: 3,
        passphrase: "amber willow harbour",
        passphraseConfirmation: "amber willow harbour",
        adminPassphrase: "correct horse battery staple",
      },
    },
  ]);
});

test("replacing the recovery key shows the new key once on the printable sheet", async () => {
  const user = userEvent.setup();
  const key = "QS5G-MYUF-7KQM-2XPA-D4RT-HJ6W-NB3C-ZLVE";
  const calls = mockCommands({ list_users: () => [okafor], replace_recovery_key: () => key });
  render(UsersView, { session });
  await user.click(await screen.findByRole("button", { name: "Replace recovery key" }));
  await user.type(byId("recovery-adminPassphrase"), "correct horse battery staple");
  await user.click(byId("replace-recovery-key"));

  expect(
    await screen.findByRole("heading", { level: 1, name: "Print the new recovery key" }),
  ).toHaveFocus();
  expect(byId("recovery-key")).toHaveTextContent(key);
  expect(byId("recovery-continue")).toBeDisabled();
  expect(callsOf(calls, "replace_recovery_key")).toEqual([
    { adminPassphrase: "correct horse battery staple" },
  ]);
  await user.click(byId("recovery-key-confirm"));
  await user.click(byId("recovery-continue"));
  expect(await screen.findByRole("heading", { level: 1, name: "Users" })).toBeInTheDocument();
});
