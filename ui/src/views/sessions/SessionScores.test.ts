import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen } from "@testing-library/svelte";
import { afterEach, expect, test } from "vitest";
import { mockCommands } from "../../test/ipc";
import { scoreView } from "../../test/scores";
import SessionScores from "./SessionScores.svelte";

afterEach(() => clearMocks());

test("only the scores linked to this session are listed, with the CADSS time point", async () => {
  mockCommands({
    list_scores: () => [
      scoreView({
        id: 1,
        instrument: "cadss",
        instrumentName: "CADSS",
        total: 12,
        band: null,
        timepoint: "peak",
        sessionId: 5,
      }),
      scoreView({ id: 2, instrument: "madrs", instrumentName: "MADRS", total: 30, sessionId: 9 }),
    ],
  });
  render(SessionScores, { patientId: 7, sessionId: 5 });
  const list = await screen.findByRole("list");
  expect(list).toHaveTextContent("CADSS (at the peak): 12");
  expect(list).not.toHaveTextContent("MADRS");
});

test("a session without linked scores says how to add one", async () => {
  mockCommands({ list_scores: () => [] });
  render(SessionScores, { patientId: 7, sessionId: 5 });
  expect(await screen.findByText(/None linked/)).toBeInTheDocument();
});
