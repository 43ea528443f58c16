import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import type { ProviderProfileDto, RemsEnrollmentInputDto } from "../../lib/bindings";
import { liveRegion } from "../../lib/announce.svelte";
import { callsOf, ipcError, mockCommands, record, type Handler } from "../../test/ipc";
import { ChartEditor } from "../record/editor.svelte";
import RemsEnrollmentPanel from "./RemsEnrollmentPanel.svelte";
import { enrolledView, remsEnrollmentView } from "./test-fixtures";

afterEach(() => clearMocks());

const dana = record({ id: 7 });

function profile(overrides: Partial<ProviderProfileDto> = {}): ProviderProfileDto {
  return {
    userId: 1,
    username: "a.okafor",
    displayName: "Dr Amara Okafor",
    givenName: "Amara",
    familyName: "Okafor",
    credentials: "MD",
    npi: "1234567893",
    phone: null,
    email: null,
    prescriber: true,
    specialty: null,
    ...overrides,
  };
}

function setup(handlers: Record<string, Handler>, canEdit = true) {
  const calls = mockCommands({
    list_provider_profiles: () => [
      profile(),
      profile({ userId: 2, displayName: "Jo Reyes", credentials: "RN", prescriber: false }),
    ],
    ...handlers,
  });
  render(RemsEnrollmentPanel, { patient: dana, editor: new ChartEditor(), canEdit });
  return calls;
}

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no #${id}`);
  return el;
}

function input(id: string): HTMLInputElement {
  return byId(id) as HTMLInputElement;
}

test("loads the patient's enrollment and shows its status, prescriber and setting", async () => {
  const calls = setup({ rems_enrollment: () => enrolledView() });
  const section = byId("rems-enrollment");
  expect(
    within(section).getByRole("heading", { level: 2, name: "Spravato REMS patient enrollment" }),
  ).toHaveAttribute("id", "rems-enrollment-title");
  await waitFor(() => expect(section).toHaveTextContent(/Status\s*Enrolled on 08-Nov-2026/));
  expect(callsOf(calls, "rems_enrollment")).toEqual([{ patientId: 7 }]);
  expect(section).toHaveTextContent(/REMS patient ID\s*P-448812/);
  expect(section).toHaveTextContent(/Prescriber\s*Dr Amara Okafor, MD, NPI 1234567893/);
  expect(section).toHaveTextContent(
    /Healthcare setting\s*Harbour Mind Clinic, REMS setting ID RS-00417/,
  );
  expect(byId("rems-enrollment-unverified")).toHaveTextContent(
    "Fields per the REMS requirements; compare with the current official form.",
  );
  expect(screen.getByRole("button", { name: "Change enrollment" })).toHaveAttribute(
    "id",
    "rems-enrollment-edit",
  );
  expect(screen.getByRole("button", { name: "Print enrollment form (PDF)" })).toHaveAttribute(
    "id",
    "export-rems-enrollment",
  );
  // The form opens on request only.
  expect(document.getElementById("rems-enrollment-status")).toBeNull();
});

test("nothing recorded yet: the form opens prefilled from the chart, nothing else is chosen", async () => {
  const user = userEvent.setup();
  setup({ rems_enrollment: () => remsEnrollmentView() });
  expect(await screen.findByText(/No enrollment recorded yet/)).toBeVisible();
  await user.click(screen.getByRole("button", { name: "Record enrollment" }));
  expect(await screen.findByRole("heading", { name: "Record REMS enrollment" })).toHaveFocus();
  expect(input("rems-enrollment-status")).not.toBeChecked();
  expect(input("rems-enrollment-status-enrolled")).not.toBeChecked();
  expect(input("rems-enrollment-firstName").value).toBe("Dana");
  expect(input("rems-enrollment-lastName").value).toBe("Rossi");
  expect(input("rems-enrollment-birthDate").value).toBe("1975-03-03");
  expect(input("rems-enrollment-sex")).toBeChecked();
  expect(input("rems-enrollment-addressLine1").value).toBe("12 Harbour Road");
  expect(input("rems-enrollment-enrolledOn").value).toBe("");
  // Only prescribers are offered; the setting is read-only from the clinic profile.
  const prescriber = (await screen.findByLabelText("Prescriber (optional)")) as HTMLSelectElement;
  expect([...prescriber.options].map((o) => o.text)).toEqual(["Not chosen", "Dr Amara Okafor, MD"]);
  expect(byId("rems-enrollment-form")).toHaveTextContent(
    /Healthcare setting\s*Harbour Mind Clinic, REMS setting ID RS-00417/,
  );
});

test("save sends every field with the version; a core field error shows in the summary and inline", async () => {
  const user = userEvent.setup();
  let refuse = true;
  const calls = setup({
    rems_enrollment: () => remsEnrollmentView(),
    save_rems_enrollment: () =>
      refuse
        ? ipcError("Validation", "Check the enrollment", [
            { field: "enrolledOn", message: "The enrollment date cannot be in the future" },
          ])
        : enrolledView({ version: 1, enrolledOn: "2026-11-08" }),
  });
  await user.click(await screen.findByRole("button", { name: "Record enrollment" }));
  await user.click(input("rems-enrollment-status-enrolled"));
  await user.type(input("rems-enrollment-enrolledOn"), "11/8/2026");
  await user.type(input("rems-enrollment-remsPatientId"), " P-448812 ");
  await user.type(input("rems-enrollment-middleInitial"), "J");
  await user.selectOptions(
    await screen.findByLabelText("Prescriber (optional)"),
    "Dr Amara Okafor, MD",
  );
  expect(byId("rems-enrollment-form")).toHaveTextContent(/Prescriber NPI\s*1234567893/);
  await user.click(byId("rems-enrollment-save"));

  const summary = await screen.findByRole("alert", { name: "There is a problem" });
  expect(summary).toHaveFocus();
  const link = within(summary).getByRole("link", {
    name: "The enrollment date cannot be in the future",
  });
  expect(link).toHaveAttribute("href", "#rems-enrollment-enrolledOn");
  expect(byId("rems-enrollment-enrolledOn-error")).toHaveTextContent(
    "Error: The enrollment date cannot be in the future",
  );
  expect(input("rems-enrollment-enrolledOn")).toHaveAttribute("aria-invalid", "true");
  expect(input("rems-enrollment-enrolledOn").value).toBe("11/8/2026");
  expect(document.title).toMatch(/^Error: /);

  const [sent] = callsOf(calls, "save_rems_enrollment") as [{ input: RemsEnrollmentInputDto }];
  expect(sent.input).toEqual({
    patientId: 7,
    version: 0,
    status: "enrolled",
    enrolledOn: "2026-11-08",
    remsPatientId: "P-448812",
    firstName: "Dana",
    middleInitial: "J",
    lastName: "Rossi",
    birthDate: "1975-03-03",
    sex: "female",
    addressLine1: "12 Harbour Road",
    addressLine2: "",
    city: "Portland",
    state: "ME",
    zip: "04101",
    phone: "207-555-0134",
    email: "",
    preferredContact: "",
    prescriberUserId: 1,
  });

  await user.click(link);
  expect(input("rems-enrollment-enrolledOn")).toHaveFocus();

  refuse = false;
  await user.click(byId("rems-enrollment-save"));
  expect(await screen.findByText("REMS enrollment saved: Enrolled on 08-Nov-2026")).toBeVisible();
  expect(document.getElementById("rems-enrollment-form")).toBeNull();
  expect(byId("rems-enrollment")).toHaveTextContent(/Status\s*Enrolled on 08-Nov-2026/);
  await waitFor(() =>
    expect(liveRegion.text).toBe("REMS enrollment saved: Enrolled on 08-Nov-2026"),
  );
});

test("someone else's save in between shows the conflict plainly; Cancel shows their version", async () => {
  const user = userEvent.setup();
  let reads = 0;
  const calls = setup({
    rems_enrollment: () => (++reads === 1 ? enrolledView() : enrolledView({ version: 3 })),
    save_rems_enrollment: () =>
      ipcError(
        "Conflict",
        "Someone else saved this patient's REMS enrollment since you opened it. Reopen it to see their changes.",
      ),
  });
  await user.click(await screen.findByRole("button", { name: "Change enrollment" }));
  await user.click(byId("rems-enrollment-save"));
  const conflict = await waitFor(() => byId("rems-enrollment-conflict"));
  expect(conflict).toHaveTextContent(
    "Someone else saved this patient's REMS enrollment since you opened it.",
  );
  expect(callsOf(calls, "save_rems_enrollment")[0]).toMatchObject({ input: { version: 2 } });
  await user.click(byId("cancel-rems-enrollment"));
  await waitFor(() => expect(callsOf(calls, "rems_enrollment")).toHaveLength(2));
  expect(document.getElementById("rems-enrollment-form")).toBeNull();
});

test("without the permission to file REMS forms the enrollment is read-only", async () => {
  setup({ rems_enrollment: () => enrolledView() }, false);
  await screen.findByText("Enrolled on 08-Nov-2026");
  expect(screen.queryByRole("button", { name: /enrollment$/ })).toBeNull();
  expect(screen.getByRole("button", { name: "Print enrollment form (PDF)" })).toBeVisible();
});

test("Print enrollment form writes the PDF to the export folder through the core", async () => {
  const user = userEvent.setup();
  const calls = setup({
    rems_enrollment: () => enrolledView(),
    export_folder: () => "/srv/exports",
    export_rems_enrollment_pdf: () => null,
  });
  await user.click(await screen.findByRole("button", { name: "Print enrollment form (PDF)" }));
  const done = await waitFor(() => byId("export-rems-enrollment-done"));
  const [args] = callsOf(calls, "export_rems_enrollment_pdf") as [
    { patientId: number; path: string },
  ];
  expect(args.patientId).toBe(7);
  expect(args.path).toMatch(
    /^\/srv\/exports\/ketachart-rems-enrollment-\d{4}-\d\d-\d\d-\d{6}\.pdf$/,
  );
  expect(args.path).not.toMatch(/rossi|dana/i);
  expect(done).toHaveTextContent(`Enrollment form saved to ${args.path}`);
  expect(callsOf(calls, "plugin:dialog|save")).toHaveLength(0);
});

test("without an export folder a save dialog asks where; a refusal is shown until dismissed", async () => {
  const user = userEvent.setup();
  const calls = setup({
    rems_enrollment: () => enrolledView(),
    export_folder: () => null,
    "plugin:dialog|save": () => "/home/clinic/enrollment.pdf",
    export_rems_enrollment_pdf: () => ipcError("Validation", "The folder cannot be written to"),
  });
  await user.click(await screen.findByRole("button", { name: "Print enrollment form (PDF)" }));
  const error = await waitFor(() => byId("export-rems-enrollment-error"));
  expect(error).toHaveTextContent("The enrollment form was not saved");
  expect(error).toHaveTextContent("The folder cannot be written to");
  const [dialog] = callsOf(calls, "plugin:dialog|save") as [{ options: { title: string } }];
  expect(dialog.options.title).toMatch(/^Print REMS enrollment form for /);
  expect(callsOf(calls, "export_rems_enrollment_pdf")[0]).toMatchObject({
    patientId: 7,
    path: "/home/clinic/enrollment.pdf",
  });
  await user.click(within(error).getByRole("button", { name: "Dismiss" }));
  expect(document.getElementById("export-rems-enrollment-error")).toBeNull();
});

test("an enrollment changed since it was first recorded lists every version", async () => {
  setup({
    rems_enrollment: () =>
      enrolledView({
        version: 2,
        history: [
          {
            version: 2,
            status: "enrolled",
            statusLabel: "Enrolled",
            enrolledOn: "2026-02-01",
            recordedByName: "Jo Reyes",
            recordedAt: "2026-11-20T10:00:00Z",
          },
          {
            version: 1,
            status: "enrolled",
            statusLabel: "Enrolled",
            enrolledOn: "2026-03-10",
            recordedByName: "Jo Reyes",
            recordedAt: "2026-11-19T10:00:00Z",
          },
        ],
      }),
  });
  const table = await screen.findByRole("table", {
    name: "Changes to the enrollment, newest first",
  });
  const rows = within(table).getAllByRole("row").slice(1);
  const cells = rows.map((r) =>
    within(r)
      .getAllByRole("cell")
      .map((c) => c.textContent?.trim()),
  );
  expect(cells.map((c) => c.slice(0, 3))).toEqual([
    ["2", "Enrolled", "01-Feb-2026"],
    ["1", "Enrolled", "10-Mar-2026"],
  ]);
});
