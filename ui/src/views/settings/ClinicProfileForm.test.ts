import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test, vi } from "vitest";
import { liveRegion } from "../../lib/announce.svelte";
import type { ClinicProfileDto, SettingsDto } from "../../lib/bindings";
import { callsOf, ipcError, mockCommands, type Handler } from "../../test/ipc";
import SettingsView from "../SettingsView.svelte";

afterEach(() => clearMocks());

const settings: SettingsDto = {
  idleLockMinutes: 10,
  backupFolder: null,
  backupDaily: false,
  backupKeep: 14,
  lastBackupAt: null,
};

const profile: ClinicProfileDto = {
  name: "Harbour Mind Clinic",
  addressLine1: "12 Harbour Road",
  addressLine2: null,
  city: "Salem",
  state: "MA",
  zip: "01970",
  phone: "(978) 555-0142",
  fax: null,
  tin: "12-3456789",
  npi: "1234567893",
  remsSettingId: "SPR-REMS-0042",
};

function byId(id: string): HTMLInputElement {
  const el = document.getElementById(id);
  if (!(el instanceof HTMLInputElement)) throw new Error(`no input #${id}`);
  return el;
}

function mock(handlers: Record<string, Handler> = {}) {
  return mockCommands({
    get_settings: () => settings,
    get_clinic_profile: () => profile,
    ...handlers,
  });
}

test("the clinic profile starts from what is saved, with empty boxes for what is not", async () => {
  mock();
  render(SettingsView);
  await waitFor(() => expect(byId("clinic-name")).toHaveValue("Harbour Mind Clinic"));
  expect(screen.getByRole("heading", { level: 2, name: "Clinic profile" })).toBeInTheDocument();
  expect(byId("clinic-addressLine1")).toHaveValue("12 Harbour Road");
  expect(byId("clinic-addressLine2")).toHaveValue("");
  expect(byId("clinic-state")).toHaveValue("MA");
  expect(byId("clinic-phone")).toHaveValue("(978) 555-0142");
  expect(byId("clinic-fax")).toHaveValue("");
  expect(byId("clinic-npi")).toHaveValue("1234567893");
  expect(byId("clinic-remsSettingId")).toHaveValue("SPR-REMS-0042");
  // Labels say which fields are optional; phone numbers are tel boxes, numbers never type=number.
  expect(screen.getByLabelText("Address line 2 (optional)")).toBe(byId("clinic-addressLine2"));
  expect(screen.getByLabelText("ZIP code")).toBe(byId("clinic-zip"));
  expect(byId("clinic-phone")).toHaveAttribute("type", "tel");
  expect(byId("clinic-npi")).toHaveAttribute("type", "text");
  expect(byId("clinic-npi")).toHaveAttribute("inputmode", "numeric");
});

test("errors from the core are summarised above the heading, shown inline and keep what was typed", async () => {
  const user = userEvent.setup();
  const messages = {
    state: "Enter a real US state code, like MA",
    npi: "NPI is not a real NPI: its last digit does not match. Check each digit against the NPI registry",
  };
  const onclinicsaved = vi.fn();
  const calls = mock({
    update_clinic_profile: () =>
      ipcError(
        "Validation",
        "2 problems",
        Object.entries(messages).map(([field, message]) => ({ field, message })),
      ),
  });
  render(SettingsView, { onclinicsaved });
  await waitFor(() => expect(byId("clinic-name")).toHaveValue("Harbour Mind Clinic"));
  await user.clear(byId("clinic-state"));
  await user.type(byId("clinic-state"), "XX");
  await user.clear(byId("clinic-npi"));
  await user.type(byId("clinic-npi"), "1234567890");
  await user.click(screen.getByRole("button", { name: "Save clinic profile" }));

  const summary = await screen.findByRole("alert");
  expect(summary).toHaveFocus();
  expect(
    within(summary)
      .getAllByRole("link")
      .map((a) => [a.textContent, a.getAttribute("href")]),
  ).toEqual([
    [messages.state, "#clinic-state"],
    [messages.npi, "#clinic-npi"],
  ]);
  // The one summary sits above the view's <h1>.
  const h1 = screen.getByRole("heading", { level: 1, name: "Settings" });
  expect(summary.compareDocumentPosition(h1) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  expect(document.getElementById("clinic-state-error")).toHaveTextContent(
    `Error: ${messages.state}`,
  );
  expect(document.getElementById("clinic-npi-error")).toHaveTextContent(`Error: ${messages.npi}`);
  expect(byId("clinic-state")).toHaveValue("XX");
  expect(byId("clinic-npi")).toHaveValue("1234567890");
  expect(document.title).toBe("Error: Settings – KetaChart");
  expect(document.getElementById("clinic-profile-success")).toBeNull();
  expect(onclinicsaved).not.toHaveBeenCalled();
  expect(callsOf(calls, "update_clinic_profile")).toEqual([
    {
      form: {
        name: "Harbour Mind Clinic",
        addressLine1: "12 Harbour Road",
        addressLine2: "",
        city: "Salem",
        state: "XX",
        zip: "01970",
        phone: "(978) 555-0142",
        fax: "",
        tin: "12-3456789",
        npi: "1234567890",
        remsSettingId: "SPR-REMS-0042",
      },
    },
  ]);
});

test("saving shows the details as the core stored them, confirms it and hands them on", async () => {
  const user = userEvent.setup();
  const stored = { ...profile, fax: "(978) 555-0143", name: "Harbour Mind Clinic North" };
  const onclinicsaved = vi.fn();
  const calls = mock({ update_clinic_profile: () => stored });
  render(SettingsView, { onclinicsaved });
  await waitFor(() => expect(byId("clinic-name")).toHaveValue("Harbour Mind Clinic"));
  await user.clear(byId("clinic-name"));
  await user.type(byId("clinic-name"), "Harbour Mind Clinic North");
  await user.type(byId("clinic-fax"), "978.555.0143");
  await user.click(screen.getByRole("button", { name: "Save clinic profile" }));

  expect(await screen.findByText(/Clinic profile saved/)).toBeInTheDocument();
  expect(byId("clinic-fax")).toHaveValue("(978) 555-0143");
  expect(onclinicsaved).toHaveBeenCalledWith(stored);
  expect(callsOf(calls, "update_clinic_profile")[0]).toMatchObject({
    form: { name: "Harbour Mind Clinic North", fax: "978.555.0143" },
  });
  await waitFor(() => expect(liveRegion.text).toBe("Clinic profile saved"));
  expect(document.getElementById("settings-success")).toBeNull();
});

test("a second click while saving is ignored", async () => {
  const user = userEvent.setup();
  let finish: (v: ClinicProfileDto) => void = () => {};
  const calls = mock({
    update_clinic_profile: () => new Promise<ClinicProfileDto>((resolve) => (finish = resolve)),
  });
  render(SettingsView);
  await waitFor(() => expect(byId("clinic-name")).toHaveValue("Harbour Mind Clinic"));
  const button = screen.getByRole("button", { name: "Save clinic profile" });
  await user.click(button);
  await user.click(button);
  expect(await screen.findByText("Saving…")).toBeInTheDocument();
  finish(profile);
  expect(await screen.findByText(/Clinic profile saved/)).toBeInTheDocument();
  expect(callsOf(calls, "update_clinic_profile")).toHaveLength(1);
});

test("errors left in both forms are listed together, in page order", async () => {
  const user = userEvent.setup();
  mock({
    update_settings: () =>
      ipcError("Validation", "x", [
        { field: "idleLockMinutes", message: "Idle lock time must be between 1 and 60" },
      ]),
    update_clinic_profile: () =>
      ipcError("Validation", "x", [{ field: "city", message: "Enter the city" }]),
  });
  render(SettingsView);
  await waitFor(() => expect(byId("clinic-name")).toHaveValue("Harbour Mind Clinic"));
  await user.click(screen.getByRole("button", { name: "Save clinic profile" }));
  await user.click(screen.getByRole("button", { name: "Save settings" }));
  const summary = await screen.findByRole("alert");
  await waitFor(() =>
    expect(
      within(summary)
        .getAllByRole("link")
        .map((a) => a.getAttribute("href")),
    ).toEqual(["#idleLockMinutes", "#clinic-city"]),
  );
});
