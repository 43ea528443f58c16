import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, expect, test, vi } from "vitest";
import { callsOf, mockCommands, record, type Handler } from "../../test/ipc";
import AbnPanel from "./AbnPanel.svelte";
import { abn, abnNeed, drawOn } from "./test-fixtures";

vi.mock("signature_pad", async () => ({ default: (await import("./test-fixtures")).FakePad }));

beforeAll(() => {
  HTMLCanvasElement.prototype.getContext = (() => null) as never;
});

afterEach(() => clearMocks());

function setup(handlers: Record<string, Handler>) {
  const calls = mockCommands({ abn_need: () => abnNeed(), list_abns: () => [], ...handlers });
  render(AbnPanel, { patient: record(), courseId: 12, canSign: true });
  return calls;
}

test("a course that needs an ABN says so; the dialog needs the patient's option", async () => {
  const user = userEvent.setup();
  const calls = setup({ sign_abn: () => abn() });
  expect(
    await screen.findByText(/Medicare may not pay for this service: an Advance Beneficiary Notice/),
  ).toBeInTheDocument();
  expect(callsOf(calls, "abn_need")).toEqual([{ patientId: 7, courseId: 12 }]);

  await user.click(screen.getByRole("button", { name: "Prepare ABN…" }));
  const dialog = await screen.findByRole("dialog");
  expect(within(dialog).getByText(/Based on Form CMS-R-131/)).toBeInTheDocument();
  expect(within(dialog).getByText("Unverified")).toBeInTheDocument();
  // Prefilled from the core.
  expect(within(dialog).getByLabelText("Service")).toHaveValue("IV ketamine infusion");
  expect(within(dialog).getByLabelText("Reason Medicare may not pay")).toHaveValue(
    "Medicare does not usually pay for IV ketamine for depression",
  );
  // Nothing is pre-selected.
  for (const radio of within(dialog).getAllByRole("radio")) expect(radio).not.toBeChecked();

  await user.type(within(dialog).getByLabelText("Estimated cost, in US dollars"), "450");
  drawOn("abn-patient-signature");
  await user.type(within(dialog).getByLabelText("Your passphrase"), "correct horse");
  await user.click(within(dialog).getByRole("button", { name: "Sign ABN" }));
  const summary = document.getElementById("abn-error-summary")!;
  expect(summary).toHaveTextContent("Select the option the patient chose");
  expect(within(summary).getByRole("link")).toHaveAttribute("href", "#abn-option");
  expect(callsOf(calls, "sign_abn")).toHaveLength(0);

  await user.click(within(dialog).getByLabelText(/Option 2/));
  await user.click(within(dialog).getByRole("button", { name: "Sign ABN" }));
  await waitFor(() => expect(callsOf(calls, "sign_abn")).toHaveLength(1));
  expect(callsOf(calls, "sign_abn")[0]).toMatchObject({
    input: {
      patientId: 7,
      courseId: 12,
      service: "IV ketamine infusion",
      estimatedCost: "450",
      option: 2,
      patientSignerName: "Dana Rossi",
      password: "correct horse",
    },
  });
  await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
});

test("a signed ABN is listed with the option and date, and the banner goes", async () => {
  setup({ list_abns: () => [abn(), abn({ id: 42, courseId: 99 })] });
  const list = await screen.findByRole("heading", { name: "Advance Beneficiary Notices" });
  const items = within(list.parentElement!).getAllByRole("listitem");
  expect(items).toHaveLength(1);
  expect(items[0]).toHaveTextContent("01-Mar-2026");
  expect(items[0]).toHaveTextContent("Option 2");
  expect(screen.queryByText(/Medicare may not pay/)).toBeNull();
});

test("no banner when the core says no ABN is needed", async () => {
  const calls = setup({ abn_need: () => abnNeed({ needed: false }) });
  await waitFor(() => expect(callsOf(calls, "list_abns")).toHaveLength(1));
  expect(screen.queryByText(/Medicare may not pay/)).toBeNull();
});

test("staff who cannot prepare ABNs see the signed ones without asking whether one is needed", async () => {
  const calls = mockCommands({ list_abns: () => [abn()] });
  render(AbnPanel, { patient: record(), courseId: 12, canSign: false });
  expect(await screen.findByText("Option 2")).toBeInTheDocument();
  expect(callsOf(calls, "abn_need")).toHaveLength(0);
  expect(screen.queryByRole("button", { name: "Prepare ABN…" })).toBeNull();
});
