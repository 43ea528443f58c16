import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import { liveRegion } from "../../lib/announce.svelte";
import type { ProviderProfileDto, SessionInfo } from "../../lib/bindings";
import {
  ADMIN,
  BILLING,
  callsOf,
  ipcError,
  mockCommands,
  nurseSession,
  session,
} from "../../test/ipc";
import AccountView from "../AccountView.svelte";

afterEach(() => clearMocks());

const empty: ProviderProfileDto = {
  userId: 2,
  username: "j.reyes",
  displayName: "Jo Reyes",
  givenName: null,
  familyName: null,
  credentials: null,
  npi: null,
  phone: null,
  email: null,
  prescriber: false,
  specialty: null,
};

function byId(id: string): HTMLInputElement {
  const el = document.getElementById(id);
  if (!(el instanceof HTMLInputElement)) throw new Error(`no input #${id}`);
  return el;
}

test("a nurse's profile starts empty, with nothing pre-selected", async () => {
  const calls = mockCommands({ get_my_profile: () => empty, passphrase_strength: () => null });
  render(AccountView, { session: nurseSession });
  expect(screen.getByRole("heading", { level: 1, name: "My account" })).toHaveFocus();
  await waitFor(() => expect(byId("profile-givenName")).toBeInTheDocument());
  expect(screen.getByRole("heading", { level: 2, name: "My profile" })).toBeInTheDocument();
  for (const id of ["givenName", "familyName", "credentials", "npi", "phone", "email"]) {
    expect(byId(`profile-${id}`)).toHaveValue("");
  }
  expect(byId("profile-prescriber")).not.toBeChecked();
  // Specialty: nothing chosen, "Not set" first, then the four payer-rule specialties.
  const specialty = screen.getByLabelText("Specialty (optional)");
  expect(specialty).toHaveValue("");
  expect(
    within(specialty)
      .getAllByRole("option")
      .map((o) => o.textContent),
  ).toEqual([
    "Not set",
    "Psychiatrist",
    "Psychiatric nurse practitioner",
    "Other mental health prescriber",
    "Other",
  ]);
  expect(screen.getByLabelText("Credentials (optional)")).toBe(byId("profile-credentials"));
  expect(screen.getByLabelText("Work phone number")).toHaveAttribute("type", "tel");
  expect(byId("profile-npi")).toHaveAttribute("inputmode", "numeric");
  expect(callsOf(calls, "get_my_profile")).toHaveLength(1);
});

test("saving sends what was typed for the signed-in user and shows what the core stored", async () => {
  const user = userEvent.setup();
  const stored: ProviderProfileDto = {
    ...empty,
    givenName: "Jo",
    familyName: "Reyes",
    credentials: "RN",
    phone: "(978) 555-0145",
    email: "jo@harbour.example",
    specialty: "psychiatric_nurse_practitioner",
  };
  const calls = mockCommands({
    get_my_profile: () => empty,
    update_provider_profile: () => stored,
    passphrase_strength: () => null,
  });
  render(AccountView, { session: nurseSession });
  await waitFor(() => expect(byId("profile-givenName")).toBeInTheDocument());
  await user.type(byId("profile-givenName"), "Jo");
  await user.type(byId("profile-familyName"), "Reyes");
  await user.type(byId("profile-credentials"), "RN");
  await user.type(byId("profile-phone"), "978 555 0145");
  await user.type(byId("profile-email"), "jo@harbour.example");
  await user.selectOptions(
    screen.getByLabelText("Specialty (optional)"),
    "Psychiatric nurse practitioner",
  );
  await user.click(screen.getByRole("button", { name: "Save my profile" }));

  expect(await screen.findByText(/Your profile has been saved/)).toBeInTheDocument();
  expect(byId("profile-phone")).toHaveValue("(978) 555-0145");
  expect(screen.getByLabelText("Specialty (optional)")).toHaveValue(
    "psychiatric_nurse_practitioner",
  );
  expect(callsOf(calls, "update_provider_profile")).toEqual([
    {
      username: "j.reyes",
      form: {
        givenName: "Jo",
        familyName: "Reyes",
        credentials: "RN",
        npi: "",
        phone: "978 555 0145",
        email: "jo@harbour.example",
        prescriber: false,
        specialty: "psychiatric_nurse_practitioner",
      },
    },
  ]);
  await waitFor(() => expect(liveRegion.text).toBe("Your profile has been saved"));
});

test("errors are summarised above the heading with links, inline, and keep what was typed", async () => {
  const user = userEvent.setup();
  const messages = {
    npi: "NPI must be 10 digits, like 1234567893",
    phone: "Enter a work phone number",
    email: "Enter a work email address",
  };
  mockCommands({
    get_my_profile: () => ({ ...empty, username: "a.okafor", givenName: "Amara" }),
    update_provider_profile: () =>
      ipcError(
        "Validation",
        "3 problems",
        Object.entries(messages).map(([field, message]) => ({ field, message })),
      ),
    passphrase_strength: () => null,
  });
  render(AccountView, { session });
  await waitFor(() => expect(byId("profile-givenName")).toHaveValue("Amara"));
  await user.type(byId("profile-npi"), "12345");
  await user.click(byId("profile-prescriber"));
  await user.click(screen.getByRole("button", { name: "Save my profile" }));

  const summary = await screen.findByRole("alert");
  expect(summary).toHaveFocus();
  expect(
    within(summary)
      .getAllByRole("link")
      .map((a) => [a.textContent, a.getAttribute("href")]),
  ).toEqual([
    [messages.npi, "#profile-npi"],
    [messages.phone, "#profile-phone"],
    [messages.email, "#profile-email"],
  ]);
  for (const [field, message] of Object.entries(messages)) {
    expect(document.getElementById(`profile-${field}-error`)).toHaveTextContent(
      `Error: ${message}`,
    );
  }
  expect(byId("profile-npi")).toHaveValue("12345");
  expect(byId("profile-prescriber")).toBeChecked();
  expect(document.title).toBe("Error: My account – KetaChart");
  expect(document.getElementById("profile-success")).toBeNull();
});

test("users who are neither providers nor nurses have no profile to keep", async () => {
  const billing: SessionInfo = {
    ...nurseSession,
    user: { id: 3, username: "b.ing", displayName: "Bill Ing", roles: ["billing"] },
    permissions: BILLING,
  };
  const admin: SessionInfo = {
    ...session,
    user: { ...session.user, roles: ["admin"] },
    permissions: ADMIN,
  };
  for (const who of [billing, admin]) {
    const calls = mockCommands({ passphrase_strength: () => null });
    const { unmount } = render(AccountView, { session: who });
    expect(screen.queryByRole("heading", { name: "My profile" })).toBeNull();
    expect(screen.getByRole("heading", { level: 2, name: "Change your passphrase" })).toBeVisible();
    expect(callsOf(calls, "get_my_profile")).toEqual([]);
    unmount();
    clearMocks();
  }
});

test("a saved specialty is shown, and choosing Not set sends none", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({
    get_my_profile: () => ({
      ...empty,
      username: "a.okafor",
      givenName: "Amara",
      familyName: "Okafor",
      phone: "(617) 555-0142",
      email: "a.okafor@harbour.example",
      prescriber: true,
      specialty: "psychiatrist",
    }),
    update_provider_profile: (args) => ({ ...empty, ...(args.form as object) }),
    passphrase_strength: () => null,
  });
  render(AccountView, { session });
  const specialty = await screen.findByLabelText("Specialty (optional)");
  expect(specialty).toHaveValue("psychiatrist");
  expect(specialty).toHaveAccessibleDescription(
    "Some payers accept prior authorization requests only from certain specialties",
  );
  await user.selectOptions(specialty, "Not set");
  await user.click(screen.getByRole("button", { name: "Save my profile" }));
  await waitFor(() => expect(callsOf(calls, "update_provider_profile")).toHaveLength(1));
  expect(callsOf(calls, "update_provider_profile")[0]).toMatchObject({
    username: "a.okafor",
    form: { prescriber: true, specialty: null },
  });
});
