import { clearMocks } from "@tauri-apps/api/mocks";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { callsOf, mockCommands, record, type Handler } from "../../test/ipc";
import DocumentViewer from "./DocumentViewer.svelte";
import { documentView, PNG_1PX } from "./test-fixtures";

// jsdom has no canvas and pdf.js needs a worker: pdf.js is replaced by a recorder of the pages
// it was asked to draw.
const pdfjs = vi.hoisted(() => ({ drawn: [] as number[], destroyed: 0, pages: 3, fail: false }));
vi.mock("pdfjs-dist", () => ({
  GlobalWorkerOptions: { workerSrc: "" },
  getDocument: () => ({
    promise: pdfjs.fail
      ? Promise.reject(new Error("Invalid PDF structure"))
      : Promise.resolve({
          numPages: pdfjs.pages,
          getPage: (n: number) =>
            Promise.resolve({
              getViewport: ({ scale }: { scale: number }) => ({
                width: 600 * scale,
                height: 800 * scale,
              }),
              render: () => {
                pdfjs.drawn.push(n);
                return { promise: Promise.resolve(), cancel: () => {} };
              },
            }),
        }),
    destroy: () => {
      pdfjs.destroyed += 1;
      return Promise.resolve();
    },
  }),
}));
vi.mock("pdfjs-dist/build/pdf.worker.min.mjs?url", () => ({ default: "/assets/pdf.worker.mjs" }));

beforeEach(() => {
  pdfjs.drawn = [];
  pdfjs.destroyed = 0;
  pdfjs.pages = 3;
  pdfjs.fail = false;
  vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue(
    {} as CanvasRenderingContext2D,
  );
});

afterEach(() => {
  clearMocks();
  vi.restoreAllMocks();
});

function setup(
  handlers: Record<string, Handler>,
  props: Partial<{
    startPage: number;
    canManage: boolean;
    doc: ReturnType<typeof documentView>;
  }> = {},
) {
  const calls = mockCommands(handlers);
  const onclose = vi.fn();
  const onremove = vi.fn();
  const onedit = vi.fn();
  render(DocumentViewer, {
    doc: props.doc ?? documentView(),
    patient: record(),
    startPage: props.startPage ?? null,
    canManage: props.canManage ?? false,
    onclose,
    onremove,
    onedit,
  });
  return { calls, onclose, onremove, onedit };
}

const PDF = { mediaType: "application/pdf", dataBase64: btoa("%PDF-1.7 test"), pageCount: 3 };

test("an image shows from the core's bytes as a data URL with its media type", async () => {
  const { calls } = setup(
    { document_content: () => ({ mediaType: "image/png", dataBase64: PNG_1PX, pageCount: null }) },
    {
      doc: documentView({
        kind: "insurance_card_front",
        kindLabel: "Insurance card (front)",
        title: "Aetna card",
        mediaType: "image/png",
        pageCount: null,
      }),
    },
  );
  const img = await screen.findByRole("img", { name: "Insurance card (front): Aetna card" });
  expect(img).toHaveAttribute("src", `data:image/png;base64,${PNG_1PX}`);
  expect(callsOf(calls, "document_content")).toEqual([{ id: 31 }]);
  // No page buttons for an image.
  expect(screen.queryByRole("button", { name: "Next page" })).toBeNull();
  expect(screen.getByRole("dialog", { name: "Aetna card" })).toHaveTextContent("ROSSI, Dana");
});

test("a PDF is drawn page by page; buttons and Page Up / Page Down move between pages", async () => {
  const user = userEvent.setup();
  setup({ document_content: () => PDF });
  expect(await screen.findByText("Page 1 of 3")).toBeInTheDocument();
  await waitFor(() => expect(pdfjs.drawn).toEqual([1]));
  expect(screen.getByRole("button", { name: "Previous page" })).toBeDisabled();

  await user.click(screen.getByRole("button", { name: "Next page" }));
  expect(screen.getByText("Page 2 of 3")).toBeInTheDocument();
  await fireEvent.keyDown(screen.getByRole("dialog"), { key: "PageDown" });
  expect(screen.getByText("Page 3 of 3")).toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Next page" })).toBeDisabled();
  // The last page is the last: Page Down does nothing more.
  await fireEvent.keyDown(screen.getByRole("dialog"), { key: "PageDown" });
  expect(screen.getByText("Page 3 of 3")).toBeInTheDocument();
  await fireEvent.keyDown(screen.getByRole("dialog"), { key: "PageUp" });
  expect(screen.getByText("Page 2 of 3")).toBeInTheDocument();
  await waitFor(() => expect(pdfjs.drawn).toEqual([1, 2, 3, 2]));
  expect(screen.getByRole("img", { name: "CVS 2024, page 2 of 3" })).toBeInTheDocument();
});

test("a trial's source opens at its page", async () => {
  setup({ document_content: () => PDF }, { startPage: 2 });
  expect(await screen.findByText("Page 2 of 3")).toBeInTheDocument();
  await waitFor(() => expect(pdfjs.drawn).toEqual([2]));
});

test("a PDF that pdf.js cannot read says so and offers the export", async () => {
  pdfjs.fail = true;
  setup({ document_content: () => PDF });
  expect(await screen.findByText(/The PDF could not be shown here/)).toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Export…" })).toBeInTheDocument();
});

test("Escape closes the viewer", async () => {
  const user = userEvent.setup();
  const { onclose } = setup({ document_content: () => PDF });
  await screen.findByText("Page 1 of 3");
  await user.keyboard("{Escape}");
  expect(onclose).toHaveBeenCalledTimes(1);
});

test("Export… writes to the export folder through the core", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    document_content: () => PDF,
    export_folder: () => "/srv/exports",
    export_document: () => null,
  });
  await user.click(await screen.findByRole("button", { name: "Export…" }));
  expect(await screen.findByText(/Document saved to/)).toBeInTheDocument();
  const [args] = callsOf(calls, "export_document") as [{ id: number; path: string }];
  expect(args.id).toBe(31);
  expect(args.path).toMatch(/^\/srv\/exports\/ketachart-document-\d{4}-\d\d-\d\d-\d{6}\.pdf$/);
  expect(callsOf(calls, "plugin:dialog|save")).toHaveLength(0);
});

test("edit and remove need the documents permission; signed originals cannot be removed", async () => {
  setup({ document_content: () => PDF }, { canManage: false });
  await screen.findByText("Page 1 of 3");
  expect(screen.queryByRole("button", { name: "Edit details / links" })).toBeNull();
  expect(screen.queryByRole("button", { name: "Remove…" })).toBeNull();
});

test("a generated consent shows Edit but never Remove", async () => {
  setup(
    { document_content: () => PDF },
    {
      canManage: true,
      doc: documentView({ kind: "consent", kindLabel: "Consent", generated: true }),
    },
  );
  await screen.findByText("Page 1 of 3");
  expect(screen.getByRole("button", { name: "Edit details / links" })).toBeInTheDocument();
  expect(screen.queryByRole("button", { name: "Remove…" })).toBeNull();
});
