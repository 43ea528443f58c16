import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, test, vi } from "vitest";
import { kiosk } from "../lib/kiosk.svelte";
import { CSSRS, GAD7, kioskView, PHQ9 } from "../test/kiosk";
import { callsOf, mockCommands, nurseSession, record, row } from "../test/ipc";
import KioskScreen from "./KioskScreen.svelte";

afterEach(() => {
  clearMocks();
  kiosk.end();
});

type User = ReturnType<typeof userEvent.setup>;

/** The kiosk on screen with these questionnaires left. */
function showKiosk(view = kioskView([PHQ9, GAD7])) {
  kiosk.start(view, 7);
  const onunlocked = vi.fn();
  render(KioskScreen, { onunlocked });
  return { onunlocked };
}

function answer(id: string) {
  return document.getElementById(id) as HTMLInputElement;
}

/** Answers the questions, each with its value: { "1": 0, "4": 2 }. */
async function answerAll(user: User, answers: Record<string, number>) {
  for (const [item, value] of Object.entries(answers)) {
    await user.click(answer(`kiosk-q-${item}-${value}`));
  }
}

const PHQ9_ANSWERS = { "1": 1, "2": 2, "3": 0, "4": 3, "5": 1, "6": 0, "7": 2, "8": 0, "9": 1 };

test("shows only the questionnaire: where the patient is, the stem and the questions", () => {
  mockCommands({});
  showKiosk();
  expect(document.getElementById("kiosk-progress")).toHaveTextContent("Questionnaire 1 of 2");
  const title = screen.getByRole("heading", { level: 1, name: "Patient Health Questionnaire-9" });
  expect(title).toHaveFocus();
  expect(document.getElementById("kiosk-stem")).toHaveTextContent(
    "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
  );
  const q9 = screen.getByRole("group", { name: /Question 9/ });
  expect(q9).toHaveAccessibleName(
    "Question 9 Thoughts that you would be better off dead or of hurting yourself in some way",
  );
  expect(within(q9).getAllByRole("radio")).toHaveLength(4);
  expect(answer("kiosk-q-9-1")).toHaveAccessibleName("Several days");
  // Nothing is pre-selected; question 10 is optional and says so.
  expect(screen.getAllByRole("radio").filter((r) => (r as HTMLInputElement).checked)).toEqual([]);
  expect(screen.getByRole("group", { name: /Question 10/ })).toHaveTextContent("(optional)");
  expect(screen.getByRole("button", { name: "Next questionnaire" })).toHaveAttribute(
    "id",
    "kiosk-submit",
  );
  expect(document.title).toBe("Questionnaire 1 of 2 – KetaChart");
});

test("shows nothing about the patient, the clinic or the score", () => {
  mockCommands({});
  showKiosk();
  const text = document.body.textContent ?? "";
  const dana = record();
  const margaret = row();
  for (const detail of [
    dana.givenName,
    dana.familyName,
    dana.mrn,
    margaret.givenName,
    margaret.familyName,
    margaret.mrn,
    "Harbour Mind Clinic",
    "Severe depression",
    "score",
  ]) {
    expect(text).not.toContain(detail);
  }
  expect(screen.queryByRole("navigation")).toBeNull();
  expect(screen.queryAllByRole("link")).toEqual([]);
  // The only button besides "Next questionnaire" is the discreet way out for staff.
  expect(screen.getAllByRole("button").map((b) => b.textContent?.trim())).toEqual([
    "Staff",
    "Next questionnaire",
  ]);
});

test("answering every question sends exactly those answers, then shows the next questionnaire", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({ kiosk_submit: () => kioskView([GAD7], 2) });
  showKiosk();
  await answerAll(user, PHQ9_ANSWERS);
  expect(answer("kiosk-q-9-1")).toBeChecked();
  await user.click(screen.getByRole("button", { name: "Next questionnaire" }));

  expect(callsOf(calls, "kiosk_submit")).toEqual([{ instrument: "phq9", answers: PHQ9_ANSWERS }]);
  const title = await screen.findByRole("heading", {
    level: 1,
    name: "Generalized Anxiety Disorder-7",
  });
  expect(title).toHaveFocus();
  expect(document.getElementById("kiosk-progress")).toHaveTextContent("Questionnaire 2 of 2");
  expect(screen.getByRole("button", { name: "Done" })).toHaveAttribute("id", "kiosk-submit");
  // The new questionnaire starts empty.
  expect(screen.getAllByRole("radio").filter((r) => (r as HTMLInputElement).checked)).toEqual([]);
  expect(kiosk.view?.done).toBe(1);
});

test("the optional question is sent when it is answered", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({ kiosk_submit: () => kioskView([GAD7], 2) });
  showKiosk();
  await answerAll(user, { ...PHQ9_ANSWERS, "10": 1 });
  await user.click(screen.getByRole("button", { name: "Next questionnaire" }));
  expect(callsOf(calls, "kiosk_submit")[0]?.answers).toEqual({ ...PHQ9_ANSWERS, "10": 1 });
});

test("a question left unanswered is pointed out at the top and at the question", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({ kiosk_submit: () => kioskView([GAD7], 2) });
  showKiosk();
  const most: Record<string, number> = { ...PHQ9_ANSWERS };
  delete most["4"];
  await answerAll(user, most);
  await user.click(screen.getByRole("button", { name: "Next questionnaire" }));

  expect(callsOf(calls, "kiosk_submit")).toEqual([]);
  const summary = screen.getByRole("alert");
  expect(summary).toHaveTextContent("There is a problem");
  expect(summary).toHaveTextContent("Answer question 4");
  expect(summary).toHaveFocus();
  const q4 = document.getElementById("kiosk-q-4") as HTMLElement;
  expect(q4).toHaveTextContent("Error: Answer question 4");
  expect(screen.getByRole("group", { name: /Question 4/ })).toHaveAccessibleDescription(
    "Error: Answer question 4",
  );
  expect(document.title).toBe("Error: Questionnaire 1 of 2 – KetaChart");
  // The summary's link goes to the question's first answer; the answers given are kept.
  await user.click(within(summary).getByRole("link", { name: "Answer question 4" }));
  expect(answer("kiosk-q-4-0")).toHaveFocus();
  expect(answer("kiosk-q-9-1")).toBeChecked();

  await user.click(answer("kiosk-q-4-2"));
  await user.click(screen.getByRole("button", { name: "Next questionnaire" }));
  expect(callsOf(calls, "kiosk_submit")).toEqual([
    { instrument: "phq9", answers: { ...PHQ9_ANSWERS, "4": 2 } },
  ]);
  await screen.findByRole("heading", { level: 1, name: "Generalized Anxiety Disorder-7" });
  expect(screen.queryByRole("alert")).toBeNull();
});

test("the core's own answer problems are shown at the question it names", async () => {
  const user = userEvent.setup();
  const message = "Answer question 9 (Thoughts that you would be better off dead or of hurting…)";
  mockCommands({
    kiosk_submit: () => {
      throw { code: "Validation", message, fields: [{ field: "items.9", message }] };
    },
  });
  showKiosk();
  await answerAll(user, PHQ9_ANSWERS);
  await user.click(screen.getByRole("button", { name: "Next questionnaire" }));

  const summary = await screen.findByRole("alert");
  expect(summary).toHaveTextContent(message);
  expect(document.getElementById("kiosk-q-9")).toHaveTextContent(`Error: ${message}`);
  expect(within(summary).getByRole("link")).toHaveAttribute("href", "#kiosk-q-9-0");
  expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent(
    "Patient Health Questionnaire-9",
  );
});

test("an answer the core already has moves on to where the core is", async () => {
  const user = userEvent.setup();
  mockCommands({
    kiosk_submit: () => {
      throw {
        code: "Conflict",
        message: "This questionnaire is not one of today's, or it is already answered",
      };
    },
    kiosk_status: () => kioskView([GAD7], 2),
  });
  showKiosk();
  await answerAll(user, PHQ9_ANSWERS);
  await user.click(screen.getByRole("button", { name: "Next questionnaire" }));
  expect(
    await screen.findByRole("heading", { level: 1, name: "Generalized Anxiety Disorder-7" }),
  ).toBeInTheDocument();
});

test("after the last questionnaire, a thank-you and nothing else", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({ kiosk_submit: () => kioskView([], 2) });
  showKiosk(kioskView([GAD7], 2));
  await answerAll(user, { "1": 0, "2": 1, "3": 2, "4": 3, "5": 0, "6": 1, "7": 2 });
  await user.click(screen.getByRole("button", { name: "Done" }));

  expect(callsOf(calls, "kiosk_submit")).toEqual([
    { instrument: "gad7", answers: { "1": 0, "2": 1, "3": 2, "4": 3, "5": 0, "6": 1, "7": 2 } },
  ]);
  const finished = await screen.findByRole("heading", { level: 1, name: "Thank you" });
  expect(finished).toHaveFocus();
  expect(document.getElementById("kiosk-finished")).toHaveTextContent(
    "Thank you Please hand the laptop back to the clinic staff.",
  );
  expect(screen.queryAllByRole("radio")).toEqual([]);
  expect(document.getElementById("kiosk-submit")).toBeNull();
  expect(document.body.textContent).not.toMatch(/score|total|severe|\b11\b/i);
});

test("the answers work from the keyboard: arrows within a question", async () => {
  const user = userEvent.setup();
  mockCommands({});
  showKiosk();
  answer("kiosk-q-1-0").focus();
  await user.keyboard("{ArrowRight}");
  expect(answer("kiosk-q-1-1")).toHaveFocus();
  expect(answer("kiosk-q-1-1")).toBeChecked();
  await user.keyboard("{ArrowDown}");
  expect(answer("kiosk-q-1-2")).toBeChecked();
  await user.keyboard("{ArrowLeft}");
  expect(answer("kiosk-q-1-1")).toBeChecked();
  // Each question is its own group: answering question 1 leaves question 2 alone.
  expect(screen.getAllByRole("radio", { checked: true })).toHaveLength(1);
  expect(answer("kiosk-q-1-1").name).not.toBe(answer("kiosk-q-2-1").name);
});

test("C-SSRS follow-up questions appear only after the answer they depend on", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({ kiosk_submit: () => kioskView([], 1) });
  showKiosk(kioskView([CSSRS]));
  expect(document.getElementById("kiosk-stem")).toHaveTextContent(
    "Answer each question about the past month.",
  );
  expect(document.getElementById("kiosk-q-3")).toBeNull();
  expect(document.getElementById("kiosk-q-6a")).toBeNull();

  await user.click(answer("kiosk-q-2-1"));
  expect(document.getElementById("kiosk-q-3")).not.toBeNull();
  await answerAll(user, { "3": 0, "4": 0, "5": 0 });
  // Changing question 2 back to No hides 3 to 5 again; their answers are not sent.
  await user.click(answer("kiosk-q-2-0"));
  expect(document.getElementById("kiosk-q-3")).toBeNull();
  await answerAll(user, { "1": 0, "6": 1 });
  expect(document.getElementById("kiosk-q-6a")).not.toBeNull();

  await user.click(screen.getByRole("button", { name: "Done" }));
  expect(screen.getByRole("alert")).toHaveTextContent("Answer question 6a");
  await user.click(answer("kiosk-q-6a-0"));
  await user.click(screen.getByRole("button", { name: "Done" }));
  expect(callsOf(calls, "kiosk_submit")).toEqual([
    { instrument: "cssrs_screener", answers: { "1": 0, "2": 0, "6": 1, "6a": 0 } },
  ]);
});

describe("the staff way out", () => {
  const WRONG = "The user name or passphrase is not correct";

  async function openStaff(user: User) {
    await user.click(screen.getByRole("button", { name: "Staff" }));
    return screen.getByRole("dialog", { name: "Staff: return to KetaChart" });
  }

  test("a staff member's unlock leaves the kiosk as that person", async () => {
    const user = userEvent.setup();
    const calls = mockCommands({ unlock: () => nurseSession });
    const { onunlocked } = showKiosk();
    const dialog = await openStaff(user);
    expect(within(dialog).getByRole("heading", { level: 2 })).toHaveFocus();
    await user.type(within(dialog).getByLabelText("User name"), "j.reyes");
    await user.type(within(dialog).getByLabelText("Passphrase"), "a long passphrase");
    await user.click(within(dialog).getByRole("button", { name: "Unlock" }));

    expect(callsOf(calls, "unlock")).toEqual([
      { username: "j.reyes", passphrase: "a long passphrase" },
    ]);
    await waitFor(() => expect(onunlocked).toHaveBeenCalledWith(nurseSession));
  });

  test("a wrong passphrase is shown in the form and the kiosk stays", async () => {
    const user = userEvent.setup();
    const calls = mockCommands({
      unlock: () => {
        throw {
          code: "Validation",
          message: WRONG,
          fields: [{ field: "passphrase", message: WRONG }],
        };
      },
    });
    const { onunlocked } = showKiosk();
    const dialog = await openStaff(user);
    await user.type(document.getElementById("kiosk-staff-username") as HTMLElement, "j.reyes");
    await user.type(document.getElementById("kiosk-staff-passphrase") as HTMLElement, "nope");
    await user.click(document.getElementById("kiosk-staff-unlock") as HTMLElement);

    expect(await within(dialog).findByRole("alert")).toHaveTextContent(WRONG);
    expect(within(dialog).getByLabelText("Passphrase")).toHaveValue("");
    expect(within(dialog).getByLabelText("User name")).toHaveValue("j.reyes");
    expect(dialog).toHaveTextContent(`Error: ${WRONG}`);
    expect(callsOf(calls, "unlock")).toHaveLength(1);
    expect(onunlocked).not.toHaveBeenCalled();
    expect(kiosk.view).not.toBeNull();
  });

  test("Esc closes the staff form and the questions carry on as they were", async () => {
    const user = userEvent.setup();
    mockCommands({});
    showKiosk();
    await user.click(answer("kiosk-q-1-2"));
    await openStaff(user);
    await user.type(document.getElementById("kiosk-staff-username") as HTMLElement, "j.reyes");
    await user.keyboard("{Escape}");

    expect(screen.queryByRole("dialog")).toBeNull();
    expect(screen.getByRole("button", { name: "Staff" })).toHaveFocus();
    expect(answer("kiosk-q-1-2")).toBeChecked();
    // Opened again, the form is empty.
    await openStaff(user);
    expect(document.getElementById("kiosk-staff-username")).toHaveValue("");
  });
});
