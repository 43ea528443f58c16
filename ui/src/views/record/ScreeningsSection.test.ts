import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import type { RecordContent, RecordView } from "../../lib/bindings";
import {
  callsOf,
  ipcError,
  mockCommands,
  record,
  screeningContent,
  screeningItem,
  signableRecord,
  signatureView,
  type Handler,
} from "../../test/ipc";
import { ChartEditor } from "./editor.svelte";
import ScreeningsSection from "./ScreeningsSection.svelte";
import { RecordStore } from "./store.svelte";

afterEach(() => clearMocks());

const dana = record({ id: 7 });

const ITEMS = [
  screeningItem(),
  screeningItem({
    id: "psychosis",
    label: "History of psychosis",
    kind: "warning",
    detailPrompt: "Describe the episodes and when they happened",
    verified: false,
  }),
  screeningItem({
    id: "med_benzodiazepines",
    label: "Taking benzodiazepines",
    kind: "warning",
    detailPrompt: "Name and dose",
    common: true,
  }),
];

const draft = signableRecord(
  screeningContent({
    answers: [
      { item: "aneurysm_avm", answer: "yes", detail: "Small AVM found in 2019" },
      { item: "psychosis", answer: "no", detail: null },
      { item: "med_benzodiazepines", answer: null, detail: null },
    ],
    bloodPressure: [{ date: "2026-03-02", systolic: "128", diastolic: "82" }],
    allergies: "penicillin\nsulfa",
    currentMedications: "sertraline 200 mg\nlorazepam 1 mg at night",
  }),
  {
    id: 40,
    version: 3,
    notes: [
      "Contraindication: Aneurysmal vascular disease or arteriovenous malformation",
      "1 questions not answered",
    ],
  },
);

const signed = signableRecord(
  screeningContent({
    modality: "tms",
    date: "2026-02-10",
    answers: [{ item: "metal_implants", answer: "no", detail: null }],
    noKnownAllergies: true,
    pdmpCheckedOn: "2026-02-09",
    pdmpResult: "No controlled-substance fills",
  }),
  {
    id: 41,
    version: 2,
    signature: signatureView(),
    addenda: [
      {
        text: "Patient later reported a cochlear implant.",
        by: "a.okafor",
        byName: "Dr Amara Okafor",
        at: "2026-02-12T09:30:00Z",
      },
    ],
  },
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
    list_records: () => opts.records ?? [draft, signed],
    screening_items: () => ITEMS,
    ...opts.handlers,
  });
  const store = new RecordStore(7);
  const editor = new ChartEditor();
  render(ScreeningsSection, {
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
  return byId(`screening-${id}`);
}

/** The value beside a label in a record card. */
function valueOf(card: HTMLElement, label: string): string | undefined {
  const dt = Array.from(card.querySelectorAll("dt")).find((d) => d.textContent?.trim() === label);
  return dt?.nextElementSibling?.textContent?.replace(/\s+/g, " ").trim();
}

test("lists draft and signed screenings with their findings, readings and status", async () => {
  setup({ canEdit: true, canSign: true });
  await screen.findByRole("list", { name: "Safety screenings: 2" });

  const d = card(40);
  expect(within(d).getByRole("heading", { level: 3 })).toHaveTextContent(
    "esketamine (Spravato) screening 02-Mar-2026",
  );
  expect(d).toHaveTextContent("Draft");
  expect(d).toHaveTextContent("Not signed yet");
  const contra = within(d).getByRole("list", { name: "Contraindications" });
  expect(contra).toHaveTextContent(
    "Contraindication: Aneurysmal vascular disease or arteriovenous malformation",
  );
  expect(within(contra).getByText(/Contraindication:/)).toHaveClass("tag--problem");
  expect(d).toHaveTextContent("1 contraindication answered yes");
  expect(within(d).getByRole("list", { name: "Findings" })).toHaveTextContent(
    "1 questions not answered",
  );
  expect(valueOf(d, "Questions")).toBe("2 answered, 1 of them yes");
  expect(valueOf(d, "Blood pressure")).toBe("128/82 mmHg on 02-Mar-2026");
  expect(valueOf(d, "Allergies")).toBe("penicillin, sulfa");
  expect(valueOf(d, "Current medications")).toBe("sertraline 200 mglorazepam 1 mg at night");
  expect(valueOf(d, "PDMP")).toBe("Not recorded");
  // The question's words come from the reference once it is read.
  await waitFor(() =>
    expect(d).toHaveTextContent(
      "Aneurysmal vascular disease or arteriovenous malformation: Small AVM found in 2019",
    ),
  );
  expect(within(d).getByRole("button", { name: /^Edit esketamine/ })).toHaveClass("edit-screening");
  expect(within(d).getByRole("button", { name: /^Sign esketamine/ })).toHaveClass("sign-record");
  expect(within(d).queryByRole("button", { name: /addendum/i })).toBeNull();

  const s = card(41);
  expect(within(s).getByRole("heading", { level: 3 })).toHaveTextContent(
    "TMS screening 10-Feb-2026",
  );
  expect(s).toHaveTextContent("Signed by Dr Amara Okafor");
  expect(s).not.toHaveTextContent("Draft");
  expect(valueOf(s, "Allergies")).toBe("No known drug allergies");
  expect(valueOf(s, "PDMP")).toBe("Checked 09-Feb-2026: No controlled-substance fills");
  expect(valueOf(s, "Blood pressure")).toBe("Not recorded");
  expect(s).toHaveTextContent("No contraindications or warnings answered yes");
  expect(within(s).getByRole("list", { name: "Addenda" })).toHaveTextContent(
    "Patient later reported a cochlear implant.",
  );
  expect(s.querySelector(".edit-screening")).toBeNull();
  expect(s.querySelector(".sign-record")).toBeNull();
  expect(within(s).getByRole("button", { name: /^Add addendum to TMS/ })).toHaveClass(
    "add-addendum",
  );
});

test("an empty chart says so, with a hint for those who can add", async () => {
  setup({ records: [], canEdit: true });
  expect(await screen.findByText(/No safety screenings recorded yet/)).toHaveTextContent(
    "Add one before the first treatment session.",
  );
});

test("adding a screening loads the treatment's questions and sends what was entered", async () => {
  const user = userEvent.setup();
  const created = signableRecord(screeningContent(), { id: 50 });
  const { calls } = setup({
    records: [],
    canEdit: true,
    handlers: { create_record: () => created },
  });
  await screen.findByText(/No safety screenings recorded yet/);
  await user.click(byId("add-screening"));
  expect(screen.getByRole("heading", { level: 3, name: "Add a safety screening" })).toHaveFocus();
  // No questions until a treatment is chosen.
  expect(document.getElementById("screening-aneurysm_avm-yes")).toBeNull();
  expect(byId("save-screening")).toHaveTextContent("Save draft");

  await user.click(screen.getByLabelText("esketamine (Spravato)"));
  expect(byId("screening-modality")).toBeChecked();
  await screen.findByRole("heading", { level: 4, name: "Contraindications" });
  expect(callsOf(calls, "screening_items")).toEqual([{ modality: "spravato" }]);
  expect(screen.getByRole("heading", { level: 4, name: "Warnings" })).toBeInTheDocument();

  // An unverified question is labelled as needing clinical review.
  const psychosis = byId("screening-psychosis-yes").closest("fieldset") as HTMLElement;
  expect(within(psychosis).getByText("Requires clinical review")).toBeInTheDocument();
  const avm = byId("screening-aneurysm_avm-yes").closest("fieldset") as HTMLElement;
  expect(within(avm).queryByText("Requires clinical review")).toBeNull();

  // A "yes" reveals the detail box, labelled with the reference's prompt.
  expect(document.getElementById("screening-aneurysm_avm-detail")).toBeNull();
  await user.click(byId("screening-aneurysm_avm-yes"));
  const detail = screen.getByLabelText("Describe the condition and when it was diagnosed");
  expect(detail).toHaveAttribute("id", "screening-aneurysm_avm-detail");
  await user.type(detail, "Small AVM found in 2019");
  await user.click(byId("screening-psychosis-no"));
  expect(document.getElementById("screening-psychosis-detail")).toBeNull();
  await user.click(byId("screening-med_benzodiazepines-yes"));
  await user.type(byId("screening-med_benzodiazepines-detail"), "lorazepam 1 mg");

  await user.type(byId("screening-date"), "3/2/2026");
  await user.type(byId("screening-bp-0-date"), "2026-03-02");
  await user.type(byId("screening-bp-0-systolic"), "128");
  await user.type(byId("screening-bp-0-diastolic"), "82");
  await user.click(screen.getByRole("button", { name: "Add another reading" }));
  await waitFor(() => expect(byId("screening-bp-1-date")).toHaveFocus());
  await user.type(byId("screening-bp-1-date"), "2026-03-02");
  await user.type(byId("screening-bp-1-systolic"), "131");
  await user.type(byId("screening-bp-1-diastolic"), "85");
  // A third, blank reading is not sent.
  await user.click(screen.getByRole("button", { name: "Add another reading" }));
  await user.type(byId("screening-pdmpCheckedOn"), "2026-03-01");
  await user.type(byId("screening-pdmpResult"), "No controlled-substance fills");
  await user.type(byId("screening-allergies"), "penicillin{Enter}sulfa");
  await user.type(byId("screening-currentMedications"), "sertraline 200 mg{Enter}lorazepam 1 mg");
  await user.type(byId("screening-note"), "Driver arranged");
  await user.click(byId("save-screening"));

  const expected: RecordContent = {
    kind: "screening",
    modality: "spravato",
    date: "2026-03-02",
    answers: [
      { item: "aneurysm_avm", answer: "yes", detail: "Small AVM found in 2019" },
      { item: "psychosis", answer: "no", detail: null },
      { item: "med_benzodiazepines", answer: "yes", detail: "lorazepam 1 mg" },
    ],
    bloodPressure: [
      { date: "2026-03-02", systolic: "128", diastolic: "82" },
      { date: "2026-03-02", systolic: "131", diastolic: "85" },
    ],
    pdmpCheckedOn: "2026-03-01",
    pdmpResult: "No controlled-substance fills",
    noKnownAllergies: false,
    allergies: "penicillin\nsulfa",
    currentMedications: "sertraline 200 mg\nlorazepam 1 mg",
    note: "Driver arranged",
  };
  await waitFor(() =>
    expect(callsOf(calls, "create_record")).toEqual([{ patientId: 7, content: expected }]),
  );
  await waitFor(() => expect(document.getElementById("screening-form")).toBeNull());
  expect(card(50)).toBeInTheDocument();
});

test("the core's field errors show in the summary and beside the questions and readings", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    records: [],
    canEdit: true,
    handlers: {
      create_record: () =>
        ipcError("Validation", "Check the screening", [
          { field: "date", message: "Enter the screening date" },
          { field: "answers.0.detail", message: 'Give the details for a "yes"' },
          { field: "bloodPressure.0.systolic", message: "Enter the systolic pressure" },
          { field: "allergies", message: "The allergies must be 2000 characters or fewer" },
        ]),
    },
  });
  await screen.findByText(/No safety screenings recorded yet/);
  await user.click(byId("add-screening"));
  await user.click(screen.getByLabelText("esketamine (Spravato)"));
  await user.click(
    await screen.findByLabelText("Yes", { selector: "#screening-aneurysm_avm-yes" }),
  );
  // The first reading is left blank (not sent), so the core's reading 0 is the second row.
  await user.click(screen.getByRole("button", { name: "Add another reading" }));
  await user.type(byId("screening-bp-1-date"), "2026-03-02");
  await user.type(byId("screening-bp-1-diastolic"), "82");
  await user.click(byId("save-screening"));

  const summary = await screen.findByRole("alert");
  expect(summary).toHaveTextContent("There is a problem");
  expect(summary).toHaveFocus();
  const links = within(summary).getAllByRole("link");
  expect(links.map((a) => [a.textContent, a.getAttribute("href")])).toEqual([
    ["Enter the screening date", "#screening-date"],
    ['Give the details for a "yes"', "#screening-aneurysm_avm-detail"],
    ["Enter the systolic pressure", "#screening-bp-1-systolic"],
    ["The allergies must be 2000 characters or fewer", "#screening-allergies"],
  ]);
  const sent = callsOf(calls, "create_record")[0]?.content as { bloodPressure: unknown[] };
  expect(sent.bloodPressure).toEqual([{ date: "2026-03-02", systolic: "", diastolic: "82" }]);

  expect(byId("screening-date-error")).toHaveTextContent("Error: Enter the screening date");
  expect(byId("screening-aneurysm_avm-detail-error")).toHaveTextContent(
    'Error: Give the details for a "yes"',
  );
  expect(byId("screening-bp-1-systolic")).toHaveAttribute("aria-invalid", "true");
  expect(byId("screening-bp-1-systolic-error")).toHaveTextContent("Enter the systolic pressure");
  expect(byId("screening-bp-0-systolic")).not.toHaveAttribute("aria-invalid");
  expect(document.title).toMatch(/^Error: /);

  await user.click(within(summary).getByRole("link", { name: 'Give the details for a "yes"' }));
  expect(byId("screening-aneurysm_avm-detail")).toHaveFocus();
  // What was entered is kept.
  expect(byId("screening-bp-1-diastolic")).toHaveValue("82");
});

test("a question the core flags is marked on its radios", async () => {
  const user = userEvent.setup();
  setup({
    records: [],
    canEdit: true,
    handlers: {
      create_record: () =>
        ipcError("Validation", "Check the screening", [
          { field: "answers.1", message: "This question is answered twice" },
        ]),
    },
  });
  await screen.findByText(/No safety screenings recorded yet/);
  await user.click(byId("add-screening"));
  await user.click(screen.getByLabelText("esketamine (Spravato)"));
  await user.click(await screen.findByLabelText("Yes", { selector: "#screening-psychosis-yes" }));
  await user.click(byId("save-screening"));
  const summary = await screen.findByRole("alert");
  expect(within(summary).getByRole("link")).toHaveAttribute("href", "#screening-psychosis-yes");
  expect(byId("screening-psychosis-error")).toHaveTextContent("This question is answered twice");
});

test("editing a draft starts from what was saved and updates that version", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    canEdit: true,
    handlers: { update_record: () => ({ ...draft, version: 4 }) },
  });
  await user.click(await screen.findByRole("button", { name: /^Edit esketamine/ }));
  expect(screen.getByRole("heading", { level: 3, name: "Edit draft screening" })).toHaveFocus();
  expect(byId("screening-modality")).toBeChecked();
  expect(byId("screening-date")).toHaveValue("2026-03-02");
  expect(
    await screen.findByLabelText("Describe the condition and when it was diagnosed"),
  ).toHaveValue("Small AVM found in 2019");
  expect(byId("screening-psychosis-no")).toBeChecked();
  expect(byId("screening-med_benzodiazepines-yes")).not.toBeChecked();
  expect(byId("screening-bp-0-systolic")).toHaveValue("128");
  expect(byId("screening-allergies")).toHaveValue("penicillin\nsulfa");

  // "No known drug allergies" is exclusive: ticking it clears the list.
  await user.click(byId("screening-noKnownAllergies"));
  expect(byId("screening-allergies")).toHaveValue("");
  await user.click(byId("save-screening"));
  await waitFor(() => expect(callsOf(calls, "update_record")).toHaveLength(1));
  const args = callsOf(calls, "update_record")[0] as {
    id: number;
    version: number;
    content: RecordContent & { kind: "screening" };
  };
  expect(args.id).toBe(40);
  expect(args.version).toBe(3);
  expect(args.content.noKnownAllergies).toBe(true);
  expect(args.content.allergies).toBeNull();
  expect(args.content.answers).toEqual([
    { item: "aneurysm_avm", answer: "yes", detail: "Small AVM found in 2019" },
    { item: "psychosis", answer: "no", detail: null },
    { item: "med_benzodiazepines", answer: null, detail: null },
  ]);
});

test("signing: a wrong passphrase is shown inline; the right one signs and locks the draft", async () => {
  const user = userEvent.setup();
  const nowSigned: RecordView = {
    ...draft,
    version: 4,
    signature: signatureView({ at: "2026-03-02T15:20:00Z" }),
  };
  let attempts = 0;
  const { calls } = setup({
    canEdit: true,
    canSign: true,
    handlers: {
      sign_record: () => {
        attempts += 1;
        if (attempts === 1) {
          ipcError("Validation", "Check the passphrase", [
            { field: "passphrase", message: "Your passphrase is not correct" },
          ]);
        }
        return nowSigned;
      },
    },
  });
  await user.click(await screen.findByRole("button", { name: /^Sign esketamine/ }));
  const dialog = screen.getByRole("dialog", { name: "Sign this screening" });
  expect(within(dialog).getByRole("heading", { name: "Sign this screening" })).toHaveFocus();
  expect(byId("sign-dialog-patient")).toHaveTextContent("ROSSI, Dana");
  expect(byId("sign-dialog-summary")).toHaveTextContent("esketamine (Spravato), 02-Mar-2026");
  expect(byId("sign-dialog-summary")).toHaveTextContent(
    "Contraindication: Aneurysmal vascular disease or arteriovenous malformation",
  );

  await user.type(byId("sign-passphrase"), "wrong horse");
  await user.click(byId("confirm-sign"));
  await waitFor(() =>
    expect(byId("sign-error-summary")).toHaveTextContent("Your passphrase is not correct"),
  );
  expect(within(byId("sign-error-summary")).getByRole("link")).toHaveAttribute(
    "href",
    "#sign-passphrase",
  );
  expect(byId("sign-passphrase")).toHaveAttribute("aria-invalid", "true");
  expect(byId("sign-passphrase-error")).toHaveTextContent("Your passphrase is not correct");
  expect(card(40)).toHaveTextContent("Draft");

  await user.type(byId("sign-passphrase"), "correct horse battery");
  await user.click(byId("confirm-sign"));
  await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  expect(callsOf(calls, "sign_record")).toEqual([
    { id: 40, version: 3, passphrase: "wrong horse" },
    { id: 40, version: 3, passphrase: "correct horse battery" },
  ]);
  const d = card(40);
  expect(d).toHaveTextContent("Signed by Dr Amara Okafor");
  expect(d).not.toHaveTextContent("Draft");
  expect(d.querySelector(".edit-screening")).toBeNull();
  expect(d.querySelector(".sign-record")).toBeNull();
  expect(d.querySelector(".add-addendum")).not.toBeNull();
  await waitFor(() => expect(byId("screening-40-title")).toHaveFocus());
});

test("an addendum is signed and listed under the signed original", async () => {
  const user = userEvent.setup();
  const withAddendum: RecordView = {
    ...signed,
    addenda: [
      ...signed.addenda,
      {
        text: "BP rechecked: 124/80.",
        by: "a.okafor",
        byName: "Dr Amara Okafor",
        at: "2026-02-13T10:00:00Z",
      },
    ],
  };
  const { calls } = setup({
    canSign: true,
    handlers: { add_addendum: () => withAddendum },
  });
  const button = await screen.findByRole("button", { name: /^Add addendum to TMS/ });
  await user.click(button);
  const dialog = screen.getByRole("dialog", { name: "Add an addendum" });
  expect(dialog).toHaveTextContent("TMS screening of 10-Feb-2026");
  await user.type(byId("addendum-text"), "BP rechecked: 124/80.");
  await user.type(byId("addendum-passphrase"), "correct horse battery");
  await user.click(byId("confirm-addendum"));
  await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  expect(callsOf(calls, "add_addendum")).toEqual([
    { id: 41, text: "BP rechecked: 124/80.", passphrase: "correct horse battery" },
  ]);
  const s = card(41);
  const addenda = within(s)
    .getAllByRole("listitem")
    .filter((li) => li.matches(".addendum"));
  expect(addenda.map((li) => li.querySelector(".addendum-text")?.textContent)).toEqual([
    "Patient later reported a cochlear implant.",
    "BP rechecked: 124/80.",
  ]);
  // The original stays as it was signed.
  expect(s).toHaveTextContent("Signed by Dr Amara Okafor");
  expect(s).toHaveTextContent("Checked 09-Feb-2026: No controlled-substance fills");
  expect(button).toHaveFocus();
});

test("a nurse drafts and edits but does not sign", async () => {
  setup({ canEdit: true, canSign: false });
  await screen.findByRole("list", { name: "Safety screenings: 2" });
  expect(byId("add-screening")).toBeInTheDocument();
  expect(card(40).querySelector(".edit-screening")).not.toBeNull();
  expect(document.querySelector(".sign-record")).toBeNull();
  expect(document.querySelector(".add-addendum")).toBeNull();
});

test("billing reads screenings without any buttons", async () => {
  setup({ canEdit: false, canSign: false });
  const list = await screen.findByRole("list", { name: "Safety screenings: 2" });
  expect(within(list).queryAllByRole("button")).toEqual([]);
  expect(document.getElementById("add-screening")).toBeNull();
  expect(card(41)).toHaveTextContent("Signed by Dr Amara Okafor");
});
