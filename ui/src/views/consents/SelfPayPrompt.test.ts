import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, expect, test, vi } from "vitest";
import { chartRecord, coverage } from "../../test/chart";
import { callsOf, mockCommands, record, type Handler } from "../../test/ipc";
import PriorAuthSection from "../pa/PriorAuthSection.svelte";
import { ALL_RULE_SETS, aetnaKetamine, evaluation } from "../pa/test-fixtures";
import { RecordStore } from "../record/store.svelte";
import { consent, draft } from "./test-fixtures";

vi.mock("signature_pad", async () => ({ default: (await import("./test-fixtures")).FakePad }));

beforeAll(() => {
  HTMLCanvasElement.prototype.getContext = (() => null) as never;
  Element.prototype.scrollIntoView = vi.fn();
});

afterEach(() => clearMocks());

const notCovered = evaluation({
  ruleSetId: aetnaKetamine.id,
  service: "iv_ketamine",
  serviceLabel: "IV ketamine infusion",
  verdict: "not_covered",
  verdictLabel: "Service not covered: self-pay",
  notCoveredReason: "Aetna considers IV ketamine for depression investigational",
});

async function check(handlers: Record<string, Handler>, verdict = notCovered) {
  const user = userEvent.setup();
  const calls = mockCommands({
    list_rule_sets: () => ALL_RULE_SETS,
    list_records: () => [chartRecord(coverage({ payerId: 1 }), { id: 21 })],
    payer_rule_links: () => ({ payerId: 1, ruleSetIds: [] }),
    pa_check: () => verdict,
    ...handlers,
  });
  const store = new RecordStore(7);
  render(PriorAuthSection, { patientId: 7, store, manageDocuments: true });
  void store.load();
  await user.selectOptions(await screen.findByLabelText("Service"), "iv_ketamine");
  await user.selectOptions(screen.getByLabelText("Payer policy"), aetnaKetamine.id);
  await user.click(screen.getByRole("button", { name: "Check" }));
  await waitFor(() => expect(callsOf(calls, "pa_check")).toHaveLength(1));
  return { user, calls };
}

test("a self-pay verdict asks for the self-pay agreement and opens the consent dialog for it", async () => {
  const { user, calls } = await check({
    list_consents: () => ({ signed: [consent()], missing: [] }),
    get_patient: () => record(),
    prepare_consent: () =>
      draft({ templateKey: "self_pay", title: "Self-pay financial agreement", templateVersion: 1 }),
  });
  expect(await screen.findByText(/Not signed yet\. The patient agrees to pay/)).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Prepare self-pay agreement…" }));
  expect(await screen.findByRole("dialog")).toHaveTextContent("Sign: Self-pay financial agreement");
  expect(callsOf(calls, "prepare_consent")).toEqual([{ patientId: 7, templateKey: "self_pay" }]);
});

test("a signed self-pay agreement is shown with its date", async () => {
  await check({
    list_consents: () => ({
      signed: [consent({ templateKey: "self_pay", title: "Self-pay financial agreement" })],
      missing: [],
    }),
  });
  expect(await screen.findByText(/Signed/, { selector: "#self-pay-signed" })).toHaveTextContent(
    "02-Mar-2026",
  );
  expect(screen.queryByRole("button", { name: "Prepare self-pay agreement…" })).toBeNull();
});

test("a covered verdict does not mention the self-pay agreement", async () => {
  const { calls } = await check(
    { list_consents: () => ({ signed: [], missing: [] }) },
    evaluation(),
  );
  await waitFor(() => expect(document.getElementById("pa-verdict")).not.toBeNull());
  expect(document.getElementById("self-pay-agreement")).toBeNull();
  expect(callsOf(calls, "list_consents")).toHaveLength(0);
});
