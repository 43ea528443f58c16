import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test, vi } from "vitest";
import type { PatientForm as PatientFormPayload } from "../lib/bindings";
import { callsOf, mockCommands, record } from "../test/ipc";
import PatientForm from "./PatientForm.svelte";

afterEach(() => clearMocks());

const GIVEN = "Enter the patient's given name";
const MONTH = "Date of birth must include a month";

function byId(id: string): HTMLInputElement {
  const el = document.getElementById(id);
  if (!(el instanceof HTMLInputElement)) throw new Error(`no input #${id}`);
  return el;
}

test("a validation error shows the summary, inline messages, kept values and an Error title", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({
    create_patient: () => {
      throw {
        code: "Validation",
        message: "The patient form has 2 problems",
        fields: [
          { field: "givenName", message: GIVEN },
          { field: "birthDate.month", message: MONTH },
        ],
      };
    },
  });
  const onsaved = vi.fn();
  render(PatientForm, { onsaved, oncancel: vi.fn() });

  await user.type(byId("familyName"), "O'Neil");
  await user.type(byId("birthDate-day"), "27");
  await user.type(byId("birthDate-year"), "1975");
  await user.type(byId("phone"), "555 201 3344");
  await user.click(screen.getByRole("button", { name: "Save patient" }));

  const summary = await screen.findByRole("alert");
  expect(summary).toHaveAttribute("id", "error-summary");
  expect(summary).toHaveTextContent("There is a problem");
  expect(summary).toHaveFocus();
  // The summary sits above the <h1>.
  const h1 = screen.getByRole("heading", { level: 1, name: "Add patient" });
  expect(summary.compareDocumentPosition(h1) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();

  const links = within(summary).getAllByRole("link");
  expect(links.map((a) => [a.textContent, a.getAttribute("href")])).toEqual([
    [GIVEN, "#givenName"],
    [MONTH, "#birthDate-month"],
  ]);

  expect(document.getElementById("givenName-error")).toHaveTextContent(`Error: ${GIVEN}`);
  expect(document.getElementById("birthDate-error")).toHaveTextContent(`Error: ${MONTH}`);
  expect(byId("givenName")).toHaveAttribute("aria-invalid", "true");
  expect(byId("birthDate-month")).toHaveAttribute("aria-invalid", "true");
  expect(byId("birthDate-day")).not.toHaveAttribute("aria-invalid");

  expect(byId("familyName")).toHaveValue("O'Neil");
  expect(byId("birthDate-day")).toHaveValue("27");
  expect(byId("birthDate-year")).toHaveValue("1975");
  expect(byId("phone")).toHaveValue("555 201 3344");
  expect(document.title.startsWith("Error: ")).toBe(true);
  expect(onsaved).not.toHaveBeenCalled();

  await user.click(links[1] as HTMLElement);
  expect(byId("birthDate-month")).toHaveFocus();
  await user.click(links[0] as HTMLElement);
  expect(byId("givenName")).toHaveFocus();

  // Empty optional fields go to the core as null; date parts exactly as typed.
  const [{ form }] = callsOf(calls, "create_patient") as [{ form: PatientFormPayload }];
  expect(form).toEqual({
    givenName: "",
    familyName: "O'Neil",
    preferredName: null,
    birthDate: { month: "", day: "27", year: "1975" },
    sexAtBirth: null,
    genderIdentity: null,
    phone: "555 201 3344",
    email: null,
    address: { line1: null, line2: null, city: null, region: null, postalCode: null },
    emergencyContact: { name: null, relationship: null, phone: null },
  });
});

test("date parts are sent as typed, nothing is pre-selected, and a save opens the record", async () => {
  const user = userEvent.setup();
  const saved = record({ id: 12 });
  const calls = mockCommands({ create_patient: () => saved });
  const onsaved = vi.fn();
  render(PatientForm, { onsaved, oncancel: vi.fn() });

  const radios = screen.getAllByRole("radio");
  expect(radios.map((r) => (r as HTMLInputElement).checked)).toEqual([false, false, false, false]);
  expect(radios.map((r) => r.getAttribute("value"))).toEqual([
    "female",
    "male",
    "intersex",
    "unknown",
  ]);
  expect(screen.getByLabelText("Not known")).toBeInTheDocument();

  await user.type(byId("givenName"), "Dana");
  await user.type(byId("familyName"), "Rossi");
  await user.type(byId("birthDate-month"), "feb");
  await user.type(byId("birthDate-day"), "07");
  await user.type(byId("birthDate-year"), "1981");
  await user.click(screen.getByLabelText("Female"));
  await user.type(byId("address-postalCode"), "02139");
  await user.click(screen.getByRole("button", { name: "Save patient" }));

  await waitFor(() => expect(onsaved).toHaveBeenCalledWith(saved));
  const [{ form }] = callsOf(calls, "create_patient") as [{ form: PatientFormPayload }];
  expect(form.birthDate).toEqual({ month: "feb", day: "07", year: "1981" });
  expect(form.sexAtBirth).toBe("female");
  expect(form.address.postalCode).toBe("02139");
  expect(form.address.line1).toBeNull();
});

test("editing sends the record's id and version, and a stale edit shows the conflict", async () => {
  const user = userEvent.setup();
  const existing = record({ id: 7, version: 3, preferredName: "Dee", sexAtBirth: "female" });
  const calls = mockCommands({
    update_patient: () => {
      throw {
        code: "Conflict",
        message: "Someone else changed this patient after you opened it. Cancel and open it again",
      };
    },
  });
  render(PatientForm, { record: existing, onsaved: vi.fn(), oncancel: vi.fn() });

  expect(screen.getByRole("heading", { level: 1, name: "Edit patient" })).toBeInTheDocument();
  expect(document.getElementById("patient-banner")).toHaveTextContent("ROSSI, Dana (Dee)");
  expect(byId("givenName")).toHaveValue("Dana");
  expect(byId("birthDate-month")).toHaveValue("2");
  expect(byId("birthDate-day")).toHaveValue("14");
  expect(byId("birthDate-year")).toHaveValue("1981");
  expect(screen.getByLabelText("Female")).toBeChecked();

  await user.clear(byId("phone"));
  await user.click(screen.getByRole("button", { name: "Save patient" }));

  const summary = await screen.findByRole("alert");
  expect(summary).toHaveTextContent("Someone else changed this patient after you opened it");
  const [args] = callsOf(calls, "update_patient") as [
    { id: number; version: number; form: PatientFormPayload },
  ];
  expect(args.id).toBe(7);
  expect(args.version).toBe(3);
  expect(args.form.phone).toBeNull();
  expect(args.form.preferredName).toBe("Dee");
});
