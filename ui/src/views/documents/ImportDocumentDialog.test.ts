import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import { callsOf, ipcError, mockCommands, record, trialRow, type Handler } from "../../test/ipc";
import DocumentsSection from "./DocumentsSection.svelte";
import { DocumentStore } from "./store.svelte";
import { documentView } from "./test-fixtures";

afterEach(() => clearMocks());

const LISTS: Record<string, Handler> = {
  list_trials: () => [trialRow({ id: 11, drugName: "sertraline" })],
  list_pa_requests: () => ipcError("Forbidden", "You cannot work on prior authorizations"),
  list_records: () => [],
};

function setup(handlers: Record<string, Handler>, canManage = true) {
  const calls = mockCommands({ ...LISTS, ...handlers });
  const documents = new DocumentStore(7);
  render(DocumentsSection, { patient: record(), documents, canManage });
  return { calls, documents };
}

test("a path problem comes back on the path field, inline and in the summary; nothing is stored", async () => {
  const user = userEvent.setup();
  const { calls, documents } = setup({
    list_documents: () => [],
    import_document: () =>
      ipcError("Validation", "Check the document", [
        { field: "path", message: "The file is 2.1 GB; the limit is 50 MB" },
      ]),
  });
  await user.click(await screen.findByRole("button", { name: "Import document…" }));
  const dialog = await screen.findByRole("dialog", { name: "Import a document" });
  await user.type(screen.getByLabelText("File"), "/home/clinic/scan.pdf");
  await user.selectOptions(screen.getByLabelText("Kind of document"), "pharmacy_history");
  await user.type(screen.getByLabelText("Title"), "CVS 2024");
  await user.click(screen.getByRole("button", { name: "Import document" }));

  const summary = await screen.findByRole("alert");
  expect(summary).toHaveTextContent("There is a problem");
  const link = screen.getByRole("link", { name: "The file is 2.1 GB; the limit is 50 MB" });
  expect(link).toHaveAttribute("href", "#doc-import-path");
  expect(document.getElementById("doc-import-path-error")).toHaveTextContent(
    "Error: The file is 2.1 GB; the limit is 50 MB",
  );
  expect(screen.getByLabelText("File")).toHaveAttribute("aria-invalid", "true");
  // Everything typed is kept, and the dialog stays open.
  expect(screen.getByLabelText("File")).toHaveValue("/home/clinic/scan.pdf");
  expect(screen.getByLabelText("Title")).toHaveValue("CVS 2024");
  expect(dialog).toBeInTheDocument();
  expect(documents.list).toEqual([]);
  expect(screen.queryByRole("table")).toBeNull();

  const [args] = callsOf(calls, "import_document") as [{ input: Record<string, unknown> }];
  expect(args.input).toMatchObject({
    patientId: 7,
    path: "/home/clinic/scan.pdf",
    kind: "pharmacy_history",
    title: "CVS 2024",
    links: [],
  });
});

test("Choose… fills the path from the native chooser, filtered to PDF and images", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    list_documents: () => [],
    "plugin:dialog|open": () => "/home/clinic/card-front.jpg",
  });
  await user.click(await screen.findByRole("button", { name: "Import document…" }));
  await user.click(screen.getByRole("button", { name: /^Choose…\s?a file to import$/ }));
  await waitFor(() =>
    expect(screen.getByLabelText("File")).toHaveValue("/home/clinic/card-front.jpg"),
  );
  const [open] = callsOf(calls, "plugin:dialog|open") as [
    { options: { filters: { extensions: string[] }[]; multiple: boolean } },
  ];
  expect(open.options.multiple).toBe(false);
  expect(open.options.filters[0]?.extensions).toEqual(["pdf", "png", "jpg", "jpeg"]);
});

test("a link to a trial with a page is sent, and the imported document opens in the viewer", async () => {
  const user = userEvent.setup();
  const imported = documentView({
    links: [{ target: "trial", targetId: 11, page: 2, label: "Medication trial: sertraline" }],
  } as never);
  const { calls, documents } = setup({
    list_documents: () => [],
    import_document: () => imported,
    document_content: () => ({ mediaType: "image/png", dataBase64: "AAAA", pageCount: null }),
  });
  await user.click(await screen.findByRole("button", { name: "Import document…" }));
  await user.type(screen.getByLabelText("File"), "/home/clinic/cvs.pdf");
  await user.selectOptions(screen.getByLabelText("Kind of document"), "pharmacy_history");
  await user.type(screen.getByLabelText("Title"), "CVS 2024");
  await user.click(await screen.findByRole("button", { name: "Add a link" }));
  await user.selectOptions(screen.getByLabelText("Record for link 1"), "trial:11");
  await user.type(screen.getByLabelText("Page (optional)"), "2");
  await user.click(screen.getByRole("button", { name: "Import document" }));

  await screen.findByRole("dialog", { name: "CVS 2024" });
  const [args] = callsOf(calls, "import_document") as [{ input: { links: unknown } }];
  expect(args.input.links).toEqual([{ target: "trial", targetId: 11, page: 2 }]);
  expect(documents.list).toEqual([imported]);
});

test("the list shows kind, date, source, pages and link chips, and filters by kind", async () => {
  const user = userEvent.setup();
  setup(
    {
      list_documents: () => [
        documentView({
          links: [{ target: "trial", targetId: 11, page: 2, label: "Trial: Sertraline" }],
        } as never),
        documentView({
          id: 32,
          kind: "insurance_card_front",
          kindLabel: "Insurance card (front)",
          title: "Aetna card",
          documentDate: "",
          documentDateDisplay: null,
          source: "",
          mediaType: "image/jpeg",
          pageCount: null,
          size: 82_000,
        } as never),
      ],
    },
    false,
  );
  const table = await screen.findByRole("table", { name: /Documents: 2 documents/ });
  expect(table).toHaveTextContent("Pharmacy fill history");
  expect(table).toHaveTextContent("12-Mar-2025");
  expect(table).toHaveTextContent("3 pages, 240 KB");
  expect(screen.getByText("Trial: Sertraline, p. 2")).toBeInTheDocument();
  expect(table).toHaveTextContent("Not known");
  expect(table).toHaveTextContent("JPEG image, 82 KB");
  // Without the documents permission: view only.
  expect(screen.queryByRole("button", { name: "Import document…" })).toBeNull();
  expect(screen.queryByRole("button", { name: /^Edit/ })).toBeNull();

  await user.selectOptions(screen.getByLabelText("Show"), "insurance_card_front");
  expect(screen.getByRole("table", { name: /1 document of 2/ })).not.toHaveTextContent("CVS 2024");
});

test("no documents yet says how to add one", async () => {
  setup({ list_documents: () => [] });
  expect(await screen.findByText(/No documents stored yet/)).toHaveTextContent(
    "Import outside records",
  );
});
