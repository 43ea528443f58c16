import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import type { CourseView, RecordView } from "../../lib/bindings";
import { callsOf, mockCommands, record, signatureView, type Handler } from "../../test/ipc";
import { ChartEditor } from "../record/editor.svelte";
import { RecordStore } from "../record/store.svelte";
import CoursesSection from "./CoursesSection.svelte";
import { courseCountText } from "./labels";
import {
  courseContent,
  courseView,
  evaluation,
  spravatoDraft,
  storedRecord,
  treatmentOptions,
} from "./test-fixtures";

afterEach(() => clearMocks());

const dana = record({ id: 7 });

const older = storedRecord(
  { kind: "session", ...spravatoDraft({ date: "2026-03-02" }) },
  { id: 80, signature: signatureView() },
);
const newer = storedRecord(
  { kind: "session", ...spravatoDraft({ date: "2026-03-05" }) },
  { id: 81 },
);

function setup(
  opts: {
    courses?: CourseView[];
    records?: RecordView[];
    canEdit?: boolean;
    canSign?: boolean;
    handlers?: Record<string, Handler>;
  } = {},
) {
  const calls = mockCommands({
    list_courses: () => opts.courses ?? [courseView()],
    list_records: () => opts.records ?? [older, newer],
    treatment_options: () => treatmentOptions(),
    new_session_draft: () => spravatoDraft(),
    evaluate_session: () => evaluation(),
    session_facts: () => evaluation().facts,
    ...opts.handlers,
  });
  const store = new RecordStore(7);
  const editor = new ChartEditor();
  render(CoursesSection, {
    patient: dana,
    store,
    editor,
    canEdit: opts.canEdit ?? true,
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

function optionValues(id: string): string[] {
  return Array.from((byId(id) as HTMLSelectElement).options).map((o) => o.value);
}

test("a course shows its plan, counts and sessions, newest first", async () => {
  setup();
  const card = await screen.findByRole("article", { name: /Spravato \(esketamine\) course/ });
  expect(byId("section-courses")).toContainElement(card);
  expect(within(card).getByRole("heading", { level: 3 })).toHaveTextContent("Active");
  expect(card).toHaveTextContent(
    "Session 2 of planned 12 (authorized 8 by approval AUTH-4471 to 31-Aug-2026, 2 used)",
  );
  expect(card).toHaveTextContent("Treatment-resistant depression (TRD)");
  expect(card).toHaveTextContent("Induction: 2 a week for 4 weeks");
  expect(card).toHaveTextContent("Optimisation: 1 a week for 4 weeks");
  expect(card).toHaveTextContent("Started 02-Mar-2026");
  const next = within(card).getByRole("list", { name: "Next planned sessions" });
  expect(next).toHaveTextContent("Session 3: 09-Mar-2026");
  expect(next).toHaveTextContent("Session 4: 12-Mar-2026");

  const list = await within(card).findByRole("list", { name: "Sessions" });
  const items = within(list).getAllByRole("listitem");
  expect(items.map((li) => li.textContent?.replace(/\s+/g, " ").trim())).toEqual([
    "Spravato session, 05-Mar-2026 Draft",
    "Spravato session, 02-Mar-2026 ✓ Signed",
  ]);
  const newSession = within(card).getByRole("button", { name: "New session" });
  expect(newSession).toHaveAttribute("data-course-id", "5");
});

test("New session opens the flowsheet under its course with the core's draft", async () => {
  const user = userEvent.setup();
  const { calls, editor } = setup();
  const button = await screen.findByRole("button", { name: "New session" });
  await user.click(button);
  expect(
    await screen.findByRole("heading", { name: "Spravato (esketamine) course: new session" }),
  ).toHaveFocus();
  expect(callsOf(calls, "new_session_draft")).toEqual([{ patientId: 7, courseId: 5 }]);
  expect(editor.open?.key).toBe("session-new-5");
  expect(byId("course-5").parentElement).toContainElement(byId("session-vitals-0-spo2"));

  // An edit keeps the flowsheet open when another form is asked for.
  await user.type(byId("session-spravato-lot"), "X");
  await user.click(byId("new-course"));
  expect(await screen.findByText("This session has not been saved")).toBeVisible();
  expect(byId("session-vitals-0-spo2")).toBeVisible();
});

test("a signed session opens read only, with its signature", async () => {
  const user = userEvent.setup();
  const { calls } = setup({ canSign: true });
  await user.click(await screen.findByRole("button", { name: "Spravato session, 02-Mar-2026" }));
  const view = await screen.findByRole("article", { name: /Spravato session/ });
  expect(view).toHaveTextContent("Signed by Dr Amara Okafor");
  expect(document.getElementById("session-save")).toBeNull();
  expect(within(view).getByRole("button", { name: "Add addendum" })).toBeVisible();
  await waitFor(() => expect(callsOf(calls, "session_facts")).toEqual([{ id: 80 }]));
  expect(within(view).getByRole("table", { name: "Vital signs" })).toBeVisible();
});

test("the course form offers MDSI only for Spravato, and protocols for the chosen pair", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    courses: [],
    records: [],
    handlers: {
      create_record: () => storedRecord({ kind: "course", ...courseContent() }, { id: 6 }),
    },
  });
  await screen.findByText(/No treatment courses yet/);
  await user.click(byId("new-course"));
  expect(await screen.findByRole("heading", { name: "Start a treatment course" })).toHaveFocus();

  await user.selectOptions(byId("course-modality"), "iv_ketamine");
  expect(optionValues("course-indication")).toEqual(["", "trd"]);
  await user.selectOptions(byId("course-indication"), "trd");
  expect(
    within(byId("course-protocol")).getByRole("option", { name: /IV ketamine/ }),
  ).toHaveTextContent("(requires clinical review)");

  await user.selectOptions(byId("course-modality"), "spravato");
  expect(optionValues("course-indication")).toEqual(["", "trd", "mdsi"]);
  await user.selectOptions(byId("course-indication"), "mdsi");
  expect(optionValues("course-protocol")).toEqual(["", "spravato_mdsi"]);
  await user.selectOptions(byId("course-protocol"), "spravato_mdsi");
  expect(byId("course-protocol-phases")).toHaveTextContent("Treatment: 2 a week for 4 weeks");

  // MDSI is cleared when the treatment changes to one it does not fit.
  await user.selectOptions(byId("course-modality"), "tms");
  expect((byId("course-indication") as HTMLSelectElement).value).toBe("");
  await user.selectOptions(byId("course-modality"), "spravato");
  await user.selectOptions(byId("course-indication"), "trd");
  await user.selectOptions(byId("course-protocol"), "spravato_trd");

  await user.type(byId("course-startDate"), "3/2/2026");
  await user.type(byId("course-authorizedUnits"), "8");
  expect(byId("course-authorizedUnits-hint")).toHaveTextContent("From the payer's approval");
  expect(document.getElementById("course-status")).toBeNull();
  await user.click(byId("save-course"));
  await waitFor(() => expect(callsOf(calls, "create_record")).toHaveLength(1));
  expect(callsOf(calls, "create_record")[0]?.content).toEqual({
    kind: "course",
    modality: "spravato",
    indication: "trd",
    protocolId: "spravato_trd",
    phases: [],
    startDate: "2026-03-02",
    status: "active",
    statusReason: null,
    endDate: null,
    authorizedUnits: "8",
    authorizationNumber: null,
    note: null,
  });
});

test("the course counter says where its authorized sessions come from", () => {
  expect(courseCountText(courseView({ authorization: null, authorized: 6 }))).toBe(
    "Session 2 of planned 12 (authorized 6, as entered on the course)",
  );
  expect(courseCountText(courseView({ authorization: null, authorized: null }))).toBe(
    "Session 2 of planned 12 (no authorized units recorded)",
  );
});
