import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import { callsOf, mockCommands, record, trialRow, type Handler } from "../../test/ipc";
import TrialHistory from "../TrialHistory.svelte";
import { DocumentStore } from "./store.svelte";
import { documentView } from "./test-fixtures";

afterEach(() => clearMocks());

const cvs = documentView({
  links: [
    { target: "trial", targetId: 11, page: 2, label: "Medication trial: sertraline (Oct-2024)" },
    { target: "coverage", targetId: 4, page: null, label: "Coverage: Aetna" },
  ],
} as never);
const notes = documentView({
  id: 32,
  kind: "outside_records",
  kindLabel: "Outside records",
  title: "Dr Lee's notes",
  links: [],
});

async function setup(handlers: Record<string, Handler>, canLinkSources = true) {
  const calls = mockCommands({
    list_trials: () => [trialRow({ id: 11 }), trialRow({ id: 12, drugName: "venlafaxine" })],
    list_documents: () => [cvs, notes],
    ...handlers,
  });
  const documents = new DocumentStore(7);
  await documents.load();
  render(TrialHistory, { patientId: 7, documents, patient: record(), canLinkSources });
  return { calls, documents };
}

test("a trial's linked document shows as its source, and opens the viewer at that page", async () => {
  const user = userEvent.setup();
  const { documents } = await setup({});
  const row = await waitFor(() => {
    const el = document.getElementById("trial-11");
    if (!el) throw new Error("no row yet");
    return el;
  });
  const source = within(row).getByRole("button", {
    name: "Source: Pharmacy fill history — CVS 2024, p. 2",
  });
  expect(document.getElementById("trial-12")).not.toHaveTextContent("Source:");
  await user.click(source);
  expect(documents.dialog).toEqual({ kind: "view", id: 31, page: 2 });
});

test("Link source document… adds the trial and page to the document, keeping its other links", async () => {
  const user = userEvent.setup();
  const { calls, documents } = await setup({
    set_document_links: ({ id, links }) => ({
      ...notes,
      id,
      links: (links as { target: string; targetId: number; page: number | null }[]).map((l) => ({
        ...l,
        label: "Medication trial: venlafaxine",
      })),
    }),
  });
  await user.click(
    await screen.findByRole("button", {
      name: /^Link source document…\s?for the venlafaxine trial$/,
    }),
  );
  const dialog = screen.getByRole("dialog", {
    name: "Link a source document to the venlafaxine trial",
  });
  await user.selectOptions(within(dialog).getByLabelText("Document"), "31");
  await user.type(within(dialog).getByLabelText("Page (optional)"), "3");
  await user.click(within(dialog).getByRole("button", { name: "Link source document" }));

  await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  expect(callsOf(calls, "set_document_links")).toEqual([
    {
      id: 31,
      links: [
        { target: "trial", targetId: 11, page: 2 },
        { target: "coverage", targetId: 4, page: null },
        { target: "trial", targetId: 12, page: 3 },
      ],
    },
  ]);
  expect(documents.sourcesOf(12)).toHaveLength(1);
});

test("without the documents permission there is no Link source document…", async () => {
  await setup({}, false);
  await screen.findByText(/Source: Pharmacy fill history/);
  expect(screen.queryByRole("button", { name: /Link source document/ })).toBeNull();
});
