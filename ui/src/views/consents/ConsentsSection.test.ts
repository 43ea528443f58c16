import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, expect, test, vi } from "vitest";
import { callsOf, mockCommands, record, type Handler } from "../../test/ipc";
import ConsentsSection from "./ConsentsSection.svelte";
import { consent, draft, missing } from "./test-fixtures";

vi.mock("signature_pad", async () => ({ default: (await import("./test-fixtures")).FakePad }));

beforeAll(() => {
  HTMLCanvasElement.prototype.getContext = (() => null) as never;
});

afterEach(() => clearMocks());

function setup(handlers: Record<string, Handler>, canSign = true) {
  const calls = mockCommands(handlers);
  render(ConsentsSection, { patient: record(), canSign });
  return calls;
}

test("lists the consents each course still needs, with Prepare and sign", async () => {
  const user = userEvent.setup();
  const calls = setup({
    list_consents: () => ({
      signed: [],
      missing: [
        missing(),
        missing({ templateKey: "privacy", title: "Privacy notice acknowledgement" }),
      ],
    }),
    prepare_consent: () => draft(),
  });
  const box = await screen.findByRole("heading", { name: "Consents needed before treatment" });
  const list = within(box.parentElement!).getAllByRole("listitem");
  expect(list.map((li) => li.textContent?.replace(/\s+/g, " ").trim())).toEqual([
    "Required before the first session of Spravato course: Spravato (esketamine) treatment consent Prepare and sign",
    "Required before the first session of Spravato course: Privacy notice acknowledgement Prepare and sign",
  ]);
  expect(screen.getByText(/No consents signed yet/)).toBeInTheDocument();

  await user.click(within(list[0]!).getByRole("button", { name: "Prepare and sign" }));
  expect(await screen.findByRole("dialog")).toBeInTheDocument();
  expect(callsOf(calls, "prepare_consent")).toEqual([{ patientId: 7, templateKey: "spravato" }]);
});

test("signed consents show version, date, signer and witness; View opens the stored PDF", async () => {
  const user = userEvent.setup();
  const calls = setup({
    list_consents: () => ({ signed: [consent()], missing: [] }),
    document_content: () => ({ mediaType: "image/png", dataBase64: "iVBORw0KGgo=", pageCount: 1 }),
  });
  const table = await screen.findByRole("table");
  expect(table.querySelector("caption")).toHaveTextContent("Signed consents: 1");
  const row = table.querySelector("tbody tr")!;
  expect(row).toHaveTextContent("Spravato (esketamine) treatment consent");
  expect(row).toHaveTextContent("02-Mar-2026");
  expect(row).toHaveTextContent("Dana Rossi");
  expect(row).toHaveTextContent("Jo Reyes");
  expect(screen.queryByText("Consents needed before treatment")).toBeNull();

  URL.createObjectURL = vi.fn(() => "blob:consent") as never;
  URL.revokeObjectURL = vi.fn() as never;
  await user.click(
    screen.getByRole("button", { name: "View Spravato (esketamine) treatment consent, signed" }),
  );
  await waitFor(() => expect(callsOf(calls, "document_content")).toEqual([{ id: 90 }]));
  expect(await screen.findByRole("img")).toHaveAttribute("src", "blob:consent");
});

test("without the documents permission nothing can be prepared", async () => {
  setup({ list_consents: () => ({ signed: [], missing: [missing()] }) }, false);
  await screen.findByText("Consents needed before treatment");
  expect(screen.queryByRole("button", { name: /Prepare and sign|New consent/ })).toBeNull();
});
