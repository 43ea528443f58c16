import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import type { RecordContent, RecordView } from "../../lib/bindings";
import {
  callsOf,
  evaluationContent,
  ipcError,
  mockCommands,
  record,
  signableRecord,
  signatureView,
  type Handler,
} from "../../test/ipc";
import { ChartEditor } from "./editor.svelte";
import EvaluationsSection from "./EvaluationsSection.svelte";
import { RecordStore } from "./store.svelte";

afterEach(() => clearMocks());

const dana = record({ id: 7 });

const draft = signableRecord(
  evaluationContent({
    date: "2026-03-01",
    history: "Recurrent depression since 2015.\nTwo admissions.",
    examination: "Low mood, no psychosis.",
    plan: null,
  }),
  { id: 60, version: 2 },
);

const signed = signableRecord(
  evaluationContent({
    date: "2026-01-20",
    history: "First presentation.",
    examination: "Flat affect.",
    symptoms: "PHQ-9 of 21",
    treatmentHistoryReview: "Three adequate trials failed.",
    plan: "Start esketamine (Spravato).",
  }),
  { id: 61, version: 3, signature: signatureView({ at: "2026-01-20T16:45:00Z" }) },
);

function setup(
  opts: {
    records?: RecordView[];
    canEdit?: boolean;
    canSign?: boolean;
    handlers?: Record<string, Handler>;
  } = {},
) {
  const calls = mockCommands({
    list_records: () => opts.records ?? [signed, draft],
    ...opts.handlers,
  });
  const store = new RecordStore(7);
  const editor = new ChartEditor();
  render(EvaluationsSection, {
    patient: dana,
    store,
    editor,
    canEdit: opts.canEdit ?? false,
    canSign: opts.canSign ?? false,
  });
  void store.load();
  return { calls, store, editor };
}

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no #${id}`);
  return el;
}

function card(id: number): HTMLElement {
  return byId(`evaluation-${id}`);
}

function valueOf(card: HTMLElement, label: string): string | undefined {
  const dt = Array.from(card.querySelectorAll("dt")).find((d) => d.textContent?.trim() === label);
  return dt?.nextElementSibling?.textContent ?? undefined;
}

test("lists draft and signed evaluations with every part and their status", async () => {
  setup({ canEdit: true, canSign: true });
  await screen.findByRole("list", { name: "Evaluations: 2" });

  const d = card(60);
  expect(within(d).getByRole("heading", { level: 3 })).toHaveTextContent("Evaluation 01-Mar-2026");
  expect(d).toHaveTextContent("Draft");
  expect(valueOf(d, "History")).toBe("Recurrent depression since 2015.\nTwo admissions.");
  expect(valueOf(d, "Examination")).toBe("Low mood, no psychosis.");
  expect(valueOf(d, "Plan")).toBe("Not recorded");
  expect(valueOf(d, "Review of treatment history")).toBe("Not recorded");
  expect(within(d).getByRole("button", { name: "Edit evaluation of 01-Mar-2026" })).toHaveClass(
    "edit-evaluation",
  );
  expect(within(d).getByRole("button", { name: "Sign evaluation of 01-Mar-2026" })).toHaveClass(
    "sign-record",
  );

  const s = card(61);
  expect(s).toHaveTextContent("Signed by Dr Amara Okafor");
  expect(s).not.toHaveTextContent("Draft");
  expect(valueOf(s, "Symptoms")).toBe("PHQ-9 of 21");
  expect(valueOf(s, "Review of treatment history")).toBe("Three adequate trials failed.");
  expect(s.querySelector(".edit-evaluation")).toBeNull();
  expect(s.querySelector(".sign-record")).toBeNull();
  expect(
    within(s).getByRole("button", { name: "Add addendum to evaluation of 20-Jan-2026" }),
  ).toHaveClass("add-addendum");
});

test("adding an evaluation sends each part, empty ones as null", async () => {
  const user = userEvent.setup();
  const created = signableRecord(evaluationContent({ date: "2026-03-02" }), { id: 62 });
  const { calls } = setup({
    records: [],
    canEdit: true,
    handlers: { create_record: () => created },
  });
  expect(await screen.findByText(/No evaluations recorded yet/)).toHaveTextContent(
    "Add the pre-treatment psychiatric evaluation.",
  );
  await user.click(byId("add-evaluation"));
  expect(screen.getByRole("heading", { level: 3, name: "Add an evaluation" })).toHaveFocus();
  await user.type(byId("evaluation-date"), "2026-3-2");
  await user.type(screen.getByLabelText("History"), "Recurrent depression{Enter}since 2015");
  await user.type(screen.getByLabelText("Examination"), "Low mood");
  await user.type(screen.getByLabelText("Review of treatment history"), "Three trials");
  await user.type(screen.getByLabelText("Plan"), "Spravato");
  expect(byId("save-evaluation")).toHaveTextContent("Save draft");
  await user.click(byId("save-evaluation"));

  const expected: RecordContent = {
    kind: "evaluation",
    date: "2026-03-02",
    history: "Recurrent depression\nsince 2015",
    examination: "Low mood",
    symptoms: null,
    treatmentHistoryReview: "Three trials",
    plan: "Spravato",
  };
  await waitFor(() =>
    expect(callsOf(calls, "create_record")).toEqual([{ patientId: 7, content: expected }]),
  );
  await waitFor(() => expect(document.getElementById("evaluation-form")).toBeNull());
  expect(card(62)).toBeInTheDocument();
  await waitFor(() => expect(byId("add-evaluation")).toHaveFocus());
});

test("the core's field errors show in the summary and inline", async () => {
  const user = userEvent.setup();
  setup({
    records: [],
    canEdit: true,
    handlers: {
      create_record: () =>
        ipcError("Validation", "Check the evaluation", [
          { field: "date", message: "The evaluation date cannot be in the future" },
          {
            field: "treatmentHistoryReview",
            message: "The treatment-history review must be 20000 characters or fewer",
          },
        ]),
    },
  });
  await screen.findByText(/No evaluations recorded yet/);
  await user.click(byId("add-evaluation"));
  await user.type(byId("evaluation-date"), "2099-01-01");
  await user.click(byId("save-evaluation"));
  const summary = await screen.findByRole("alert");
  expect(summary).toHaveFocus();
  expect(
    within(summary)
      .getAllByRole("link")
      .map((a) => a.getAttribute("href")),
  ).toEqual(["#evaluation-date", "#evaluation-treatmentHistoryReview"]);
  expect(byId("evaluation-date-error")).toHaveTextContent(
    "Error: The evaluation date cannot be in the future",
  );
  expect(byId("evaluation-treatmentHistoryReview")).toHaveAttribute("aria-invalid", "true");
  expect(byId("evaluation-date")).toHaveValue("2099-01-01");
});

test("editing a draft updates that version", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    canEdit: true,
    handlers: { update_record: () => ({ ...draft, version: 3 }) },
  });
  await user.click(await screen.findByRole("button", { name: "Edit evaluation of 01-Mar-2026" }));
  expect(byId("evaluation-history")).toHaveValue(
    "Recurrent depression since 2015.\nTwo admissions.",
  );
  await user.type(byId("evaluation-plan"), "Start TMS");
  await user.click(byId("save-evaluation"));
  await waitFor(() => expect(callsOf(calls, "update_record")).toHaveLength(1));
  expect(callsOf(calls, "update_record")[0]).toEqual({
    id: 60,
    version: 2,
    content: {
      kind: "evaluation",
      date: "2026-03-01",
      history: "Recurrent depression since 2015.\nTwo admissions.",
      examination: "Low mood, no psychosis.",
      symptoms: null,
      treatmentHistoryReview: null,
      plan: "Start TMS",
    },
  });
});

test("signing: content the core finds incomplete and a wrong passphrase, then signed", async () => {
  const user = userEvent.setup();
  const nowSigned: RecordView = { ...draft, version: 3, signature: signatureView() };
  let attempts = 0;
  const { calls } = setup({
    canEdit: true,
    canSign: true,
    handlers: {
      sign_record: () => {
        attempts += 1;
        if (attempts === 1) {
          ipcError("Validation", "Complete the evaluation", [
            { field: "plan", message: "Enter the plan before signing" },
          ]);
        }
        if (attempts === 2) {
          ipcError("Validation", "Check the passphrase", [
            { field: "passphrase", message: "Your passphrase is not correct" },
          ]);
        }
        return nowSigned;
      },
    },
  });
  await user.click(await screen.findByRole("button", { name: "Sign evaluation of 01-Mar-2026" }));
  const dialog = screen.getByRole("dialog", { name: "Sign this evaluation" });
  const summary = byId("sign-dialog-summary");
  expect(summary).toHaveTextContent("Evaluation 01-Mar-2026");
  expect(summary).toHaveTextContent("Recurrent depression since 2015. Two admissions.");
  expect(summary).toHaveTextContent("Plan Not recorded");

  await user.type(byId("sign-passphrase"), "correct horse battery");
  await user.click(byId("confirm-sign"));
  await waitFor(() =>
    expect(byId("sign-error-summary")).toHaveTextContent("Enter the plan before signing"),
  );
  expect(dialog).toHaveTextContent("The evaluation is not complete yet");

  await user.type(byId("sign-passphrase"), "wrong");
  await user.click(byId("confirm-sign"));
  await waitFor(() =>
    expect(byId("sign-passphrase-error")).toHaveTextContent("Your passphrase is not correct"),
  );
  expect(byId("sign-passphrase")).toHaveAttribute("aria-invalid", "true");

  await user.type(byId("sign-passphrase"), "correct horse battery");
  await user.click(byId("confirm-sign"));
  await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  expect(callsOf(calls, "sign_record").map((a) => a.passphrase)).toEqual([
    "correct horse battery",
    "wrong",
    "correct horse battery",
  ]);
  const d = card(60);
  expect(d).toHaveTextContent("Signed by Dr Amara Okafor");
  expect(d.querySelector(".edit-evaluation")).toBeNull();
  expect(d.querySelector(".sign-record")).toBeNull();
  await waitFor(() => expect(byId("evaluation-60-title")).toHaveFocus());
});

test("an addendum's own errors show in its dialog; a signed one is listed under the original", async () => {
  const user = userEvent.setup();
  const withAddendum: RecordView = {
    ...signed,
    addenda: [
      {
        text: "Plan changed to TMS.",
        by: "a.okafor",
        byName: "Dr Amara Okafor",
        at: "2026-01-22T08:00:00Z",
      },
    ],
  };
  let attempts = 0;
  const { calls } = setup({
    canSign: true,
    handlers: {
      add_addendum: () => {
        attempts += 1;
        if (attempts === 1) {
          ipcError("Validation", "Check the addendum", [
            { field: "text", message: "Enter the addendum" },
          ]);
        }
        return withAddendum;
      },
    },
  });
  await user.click(
    await screen.findByRole("button", { name: "Add addendum to evaluation of 20-Jan-2026" }),
  );
  const dialog = screen.getByRole("dialog", { name: "Add an addendum" });
  expect(dialog).toHaveTextContent("Evaluation of 20-Jan-2026");
  await user.type(byId("addendum-passphrase"), "correct horse battery");
  await user.click(byId("confirm-addendum"));
  await waitFor(() => expect(byId("addendum-text-error")).toHaveTextContent("Enter the addendum"));

  await user.type(byId("addendum-text"), "Plan changed to TMS.");
  await user.type(byId("addendum-passphrase"), "correct horse battery");
  await user.click(byId("confirm-addendum"));
  await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  expect(callsOf(calls, "add_addendum")[1]).toEqual({
    id: 61,
    text: "Plan changed to TMS.",
    passphrase: "correct horse battery",
  });
  const s = card(61);
  expect(within(s).getByRole("list", { name: "Addenda" })).toHaveTextContent(
    "Plan changed to TMS.",
  );
  expect(valueOf(s, "Plan")).toBe("Start esketamine (Spravato).");
});

test("a nurse drafts but does not sign", async () => {
  setup({ canEdit: true, canSign: false });
  await screen.findByRole("list", { name: "Evaluations: 2" });
  expect(byId("add-evaluation")).toBeInTheDocument();
  expect(card(60).querySelector(".edit-evaluation")).not.toBeNull();
  expect(document.querySelector(".sign-record")).toBeNull();
  expect(document.querySelector(".add-addendum")).toBeNull();
});

test("billing reads evaluations without any buttons", async () => {
  setup({ canEdit: false, canSign: false });
  await screen.findByRole("list", { name: "Evaluations: 2" });
  expect(screen.queryAllByRole("button")).toEqual([]);
  expect(screen.getByText(/Signed by Dr Amara Okafor/)).toBeInTheDocument();
});
