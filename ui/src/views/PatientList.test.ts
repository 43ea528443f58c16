import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test, vi } from "vitest";
import type { PatientSearch } from "../lib/bindings";
import { callsOf, mockCommands, row } from "../test/ipc";
import PatientList from "./PatientList.svelte";

afterEach(() => clearMocks());

const oneil = row({ id: 4, familyName: "O'Neil", givenName: "Margaret", preferredName: "Peggy" });
const rossi = row({
  id: 9,
  familyName: "Rossi",
  givenName: "Dana",
  preferredName: null,
  birthDate: "1981-02-14",
  age: 45,
  mrn: "KC-000009",
});

function results(...patients: PatientSearch["patients"]): PatientSearch {
  return { patients, more: false };
}

/** One turn of the event loop: enough for a resolved IPC answer to reach the component. */
function letPendingAnswersArrive(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function rows(): HTMLTableRowElement[] {
  return Array.from(document.querySelectorAll<HTMLTableRowElement>("#patient-results tbody tr"));
}

test("lists patients with FAMILY, Given names, DD-Mmm-YYYY dates and MRNs", async () => {
  mockCommands({ search_patients: () => results(oneil, rossi) });
  render(PatientList, { onopen: vi.fn(), onadd: vi.fn() });

  await waitFor(() => expect(rows()).toHaveLength(2));
  const table = document.getElementById("patient-results") as HTMLTableElement;
  expect(table.querySelector("caption")).not.toBeNull();
  expect(
    within(table)
      .getAllByRole("columnheader")
      .map((th) => [th.textContent?.trim(), th.getAttribute("scope")]),
  ).toEqual([
    ["Name", "col"],
    ["Date of birth", "col"],
    ["MRN", "col"],
  ]);
  const [first] = rows();
  expect(first).toHaveAttribute("data-patient-id", "4");
  expect(first?.querySelector(".patient-link")).toHaveTextContent("O'NEIL, Margaret (Peggy)");
  expect(first).toHaveTextContent("27-Mar-1975");
  expect(first).toHaveTextContent("(50y)");
  expect(first).toHaveTextContent("KC-000142");
  expect(rows()[1]).toHaveTextContent("14-Feb-1981");
});

test("typing searches with the query exactly as typed", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({
    search_patients: ({ query }) => (query === "" ? results(oneil, rossi) : results(oneil)),
  });
  render(PatientList, { onopen: vi.fn(), onadd: vi.fn() });
  await waitFor(() => expect(rows()).toHaveLength(2));

  await user.type(screen.getByLabelText("Search patients"), "O'Neil");

  await waitFor(() => expect(rows()).toHaveLength(1));
  const queries = callsOf(calls, "search_patients");
  expect(queries[0]).toEqual({ query: "", limit: 50 });
  expect(queries.at(-1)).toEqual({ query: "O'Neil", limit: 50 });
  expect(rows()[0]?.querySelector(".patient-link")).toHaveTextContent("O'NEIL, Margaret");
  expect(rows()[0]).toHaveTextContent("27-Mar-1975");
});

test("an answer to an older query never replaces a newer one", async () => {
  const user = userEvent.setup();
  let answerSlow: (value: PatientSearch) => void = () => {};
  const calls = mockCommands({
    search_patients: ({ query }) => {
      if (query === "r") return new Promise<PatientSearch>((resolve) => (answerSlow = resolve));
      return query === "" ? results(oneil, rossi) : results(rossi);
    },
  });
  render(PatientList, { onopen: vi.fn(), onadd: vi.fn() });
  await waitFor(() => expect(rows()).toHaveLength(2));

  const box = screen.getByLabelText("Search patients");
  await user.type(box, "r");
  await waitFor(() => expect(callsOf(calls, "search_patients").at(-1)?.query).toBe("r"));
  await user.type(box, "o");
  await waitFor(() => expect(rows()).toHaveLength(1));

  answerSlow(results(oneil, rossi));
  await letPendingAnswersArrive();
  expect(rows()).toHaveLength(1);
  expect(rows()[0]).toHaveAttribute("data-patient-id", "9");
});

test("no results says what to try next", async () => {
  const user = userEvent.setup();
  mockCommands({
    search_patients: ({ query }) => (query === "" ? results(oneil) : results()),
  });
  render(PatientList, { onopen: vi.fn(), onadd: vi.fn() });
  await waitFor(() => expect(rows()).toHaveLength(1));

  await user.type(screen.getByLabelText("Search patients"), "Zebedee");

  expect(
    await screen.findByText(
      "No patients match “Zebedee”. Check the spelling, or search by MRN or date of birth.",
    ),
  ).toBeInTheDocument();
  expect(document.getElementById("patient-results")).toBeNull();
});

test("an empty clinic invites adding the first patient", async () => {
  const user = userEvent.setup();
  mockCommands({ search_patients: () => results() });
  const onadd = vi.fn();
  render(PatientList, { onopen: vi.fn(), onadd });

  const add = await screen.findByRole("button", { name: "Add the first patient." });
  expect(add.closest("p")).toHaveTextContent("No patients yet. Add the first patient.");
  await user.click(add);
  await user.click(screen.getByRole("button", { name: "Add patient" }));
  expect(onadd).toHaveBeenCalledTimes(2);
});

test("says when only the first 50 matches are shown", async () => {
  const user = userEvent.setup();
  mockCommands({
    search_patients: ({ query }) => ({ patients: [oneil], more: query !== "" }),
  });
  render(PatientList, { onopen: vi.fn(), onadd: vi.fn() });
  await waitFor(() => expect(rows()).toHaveLength(1));
  await user.type(screen.getByLabelText("Search patients"), "Ma");
  expect(
    await screen.findByText(
      "Showing the first 50 matches. Type more of the name to narrow the list.",
    ),
  ).toBeInTheDocument();
});

test("arrow keys move from the search box into the results, and Enter opens a patient", async () => {
  const user = userEvent.setup();
  mockCommands({ search_patients: () => results(oneil, rossi) });
  const onopen = vi.fn();
  render(PatientList, { onopen, onadd: vi.fn() });
  await waitFor(() => expect(rows()).toHaveLength(2));

  const box = screen.getByLabelText("Search patients");
  box.focus();
  await user.keyboard("{ArrowDown}");
  expect(rows()[0]?.querySelector(".patient-link")).toHaveFocus();
  await user.keyboard("{ArrowDown}");
  expect(rows()[1]?.querySelector(".patient-link")).toHaveFocus();
  await user.keyboard("{Enter}");
  expect(onopen).toHaveBeenCalledWith(9);
  await user.keyboard("{ArrowUp}{ArrowUp}");
  expect(box).toHaveFocus();
});
