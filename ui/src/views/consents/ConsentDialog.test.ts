import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, expect, test, vi } from "vitest";
import { callsOf, ipcError, mockCommands, record, type Handler } from "../../test/ipc";
import ConsentDialog from "./ConsentDialog.svelte";
import { consent, draft, drawOn, template } from "./test-fixtures";

vi.mock("signature_pad", async () => ({ default: (await import("./test-fixtures")).FakePad }));

beforeAll(() => {
  // jsdom has no canvas: the pad only needs the element.
  HTMLCanvasElement.prototype.getContext = (() => null) as never;
});

afterEach(() => clearMocks());

const EMPTY_PAD = "The patient has not signed yet";

function setup(handlers: Record<string, Handler>, templateKey?: string) {
  const calls = mockCommands(handlers);
  const onsigned = vi.fn();
  const onclose = vi.fn();
  render(ConsentDialog, { patient: record(), templateKey, onsigned, onclose });
  return { calls, onsigned, onclose };
}

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no #${id}`);
  return el;
}

test("choosing a form prepares it and shows the core's text literally", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    list_consent_templates: () => [
      template(),
      template({ key: "tms", title: "TMS consent", version: 3 }),
    ],
    prepare_consent: () => draft(),
  });
  await user.click(await screen.findByRole("button", { name: "Prepare consent" }));
  expect(byId("consent-error-summary")).toHaveTextContent("Select the consent form");
  expect(callsOf(calls, "prepare_consent")).toHaveLength(0);

  await user.click(screen.getByLabelText(/Spravato \(esketamine\) treatment consent/));
  await user.click(screen.getByRole("button", { name: "Prepare consent" }));
  expect(callsOf(calls, "prepare_consent")).toEqual([{ patientId: 7, templateKey: "spravato" }]);
  const text = await screen.findByRole("region", { name: /Spravato \(esketamine\)/ });
  // Markup in the text stays text: never HTML.
  expect(text.textContent).toContain("<b>Risks</b> include dissociation.");
  expect(text.querySelector("b")).toBeNull();
  expect(screen.getByLabelText("Name of the person signing for the patient")).toHaveValue(
    "Dana Rossi",
  );
});

test("an empty pad: Sign stays enabled and the core's error shows in the summary and inline", async () => {
  const user = userEvent.setup();
  const { calls, onsigned } = setup(
    {
      prepare_consent: () => draft(),
      sign_consent: () =>
        ipcError("Validation", "Check the consent", [
          { field: "patientSignature", message: EMPTY_PAD },
        ]),
    },
    "spravato",
  );
  const sign = await screen.findByRole("button", { name: "Sign consent" });
  expect(sign).toBeEnabled();
  expect(
    within(byId("consent-patient-signature-state").parentElement!).getByText("Not signed yet"),
  );
  drawOn("consent-witness-signature");
  await user.type(screen.getByLabelText("Your passphrase"), "correct horse");
  await user.click(sign);

  const [sent] = callsOf(calls, "sign_consent");
  expect(sent).toMatchObject({
    input: {
      patientId: 7,
      templateKey: "spravato",
      templateVersion: 2,
      patientSignerName: "Dana Rossi",
      patientSignature: { strokes: [] },
      witnessSignature: {
        strokes: [
          [
            [10, 20],
            [60, 40],
            [120, 25],
          ],
        ],
      },
      password: "correct horse",
    },
  });
  const summary = byId("consent-error-summary");
  await waitFor(() => expect(summary).toHaveFocus());
  const link = within(summary).getByRole("link", { name: EMPTY_PAD });
  expect(link).toHaveAttribute("href", "#consent-patient-signature");
  expect(byId("consent-patient-signature-error")).toHaveTextContent(EMPTY_PAD);
  expect(document.title).toBe("Error: Patient record – KetaChart");
  expect(onsigned).not.toHaveBeenCalled();
  // The password is never kept after an attempt.
  expect(screen.getByLabelText("Your passphrase")).toHaveValue("");
});

test("an empty pad gets a client-side hint after an attempt the core did not flag", async () => {
  const user = userEvent.setup();
  setup(
    {
      prepare_consent: () => draft(),
      sign_consent: () =>
        ipcError("Validation", "Check the consent", [
          { field: "password", message: "Enter your passphrase" },
        ]),
    },
    "spravato",
  );
  await user.click(await screen.findByRole("button", { name: "Sign consent" }));
  expect(await screen.findAllByText(/The pad is empty/)).toHaveLength(2);
  expect(byId("consent-password-error")).toHaveTextContent("Enter your passphrase");
});

test("signing with both signatures hands the signed consent back", async () => {
  const user = userEvent.setup();
  const { onsigned } = setup(
    { prepare_consent: () => draft(), sign_consent: () => consent() },
    "spravato",
  );
  await screen.findByRole("button", { name: "Sign consent" });
  drawOn("consent-patient-signature");
  drawOn("consent-witness-signature");
  expect(byId("consent-patient-signature-state")).toHaveTextContent("Signed");
  await user.type(screen.getByLabelText("Your passphrase"), "correct horse");
  await user.click(screen.getByRole("button", { name: "Sign consent" }));
  await waitFor(() => expect(onsigned).toHaveBeenCalledWith(consent()));
});

test("Clear empties the pad", async () => {
  const user = userEvent.setup();
  setup({ prepare_consent: () => draft() }, "spravato");
  await screen.findByRole("button", { name: "Sign consent" });
  drawOn("consent-patient-signature");
  expect(byId("consent-patient-signature-state")).toHaveTextContent("Signed");
  await user.click(screen.getByRole("button", { name: "Clear patient signature" }));
  expect(byId("consent-patient-signature-state")).toHaveTextContent("Not signed yet");
});

test("a form changed since it was opened: the new version is read before signing", async () => {
  const user = userEvent.setup();
  let version = 2;
  const { calls } = setup(
    {
      prepare_consent: () => draft({ templateVersion: version }),
      sign_consent: () =>
        ipcError(
          "Conflict",
          "The clinic changed this consent form (now version 3) since it was opened. Read the current text with the patient, then sign",
        ),
    },
    "spravato",
  );
  await screen.findByRole("button", { name: "Sign consent" });
  drawOn("consent-patient-signature");
  await user.click(screen.getByRole("button", { name: "Sign consent" }));
  expect(await screen.findByText(/now version 3/)).toBeInTheDocument();
  version = 3;
  await user.click(screen.getByRole("button", { name: "Open the current version" }));
  expect(await screen.findByText("version 3")).toBeInTheDocument();
  expect(callsOf(calls, "prepare_consent")).toHaveLength(2);
  // The signatures were for the old text: the pads start again.
  expect(byId("consent-patient-signature-state")).toHaveTextContent("Not signed yet");
  expect(document.getElementById("consent-error-summary")).toBeNull();
});
