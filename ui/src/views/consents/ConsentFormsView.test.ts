import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import { callsOf, ipcError, mockCommands, type Handler } from "../../test/ipc";
import ConsentFormsView from "./ConsentFormsView.svelte";
import { template } from "./test-fixtures";

afterEach(() => clearMocks());

const spravato = template({ version: 2 });
const privacy = template({
  key: "privacy",
  title: "Privacy notice acknowledgement",
  reviewNote: null,
  body: "I have received the notice.",
});

function setup(handlers: Record<string, Handler> = {}) {
  return mockCommands({
    list_consent_templates: () => [spravato, privacy],
    consent_requirements: () => [{ modality: "spravato", templateKeys: ["spravato"] }],
    ...handlers,
  });
}

test("lists the templates with their version and the sample-text label where unreviewed", async () => {
  setup();
  render(ConsentFormsView);
  expect(screen.getByRole("heading", { level: 1, name: "Consent forms" })).toHaveFocus();
  const rows = await screen.findAllByRole("row");
  const body = rows.filter((r) => r.classList.contains("template-row"));
  expect(body[0]).toHaveTextContent("Spravato (esketamine) treatment consent");
  expect(body[0]).toHaveTextContent(
    "Sample text: the clinic must review with its counsel before use",
  );
  expect(body[1]).not.toHaveTextContent("Sample text");
});

test("saving an edited template asks the core for a new version", async () => {
  const user = userEvent.setup();
  const calls = setup({
    save_consent_template: (args) => {
      const input = (args as { input: { key: string; title: string; body: string } }).input;
      return template({ ...input, version: 3, reviewNote: null });
    },
  });
  render(ConsentFormsView);
  await user.click(
    await screen.findByRole("button", { name: "Edit Spravato (esketamine) treatment consent" }),
  );
  expect(
    screen.getByText(/Saving makes version 3\. All 2 stored versions are kept/),
  ).toBeInTheDocument();
  expect(screen.getByText("{{patient.name}}")).toBeInTheDocument();
  expect(screen.getByText("The patient's name")).toBeInTheDocument();
  const body = screen.getByLabelText("Text");
  await user.clear(body);
  await user.type(body, "Revised text for {{{{patient.name}}");
  await user.click(screen.getByRole("button", { name: "Save new version" }));

  await waitFor(() => expect(callsOf(calls, "save_consent_template")).toHaveLength(1));
  expect(callsOf(calls, "save_consent_template")[0]).toEqual({
    input: {
      key: "spravato",
      title: "Spravato (esketamine) treatment consent",
      body: "Revised text for {{patient.name}}",
    },
  });
  expect(await screen.findByText(/saved as version 3/)).toBeInTheDocument();
  const row = screen.getAllByRole("row").find((r) => r.classList.contains("template-row"))!;
  expect(within(row).getAllByRole("cell")[0]).toHaveTextContent("3");
  expect(row).not.toHaveTextContent("Sample text");
});

test("the core's errors on a template show in the summary and beside the field", async () => {
  const user = userEvent.setup();
  setup({
    save_consent_template: () =>
      ipcError("Validation", "Check the template", [{ field: "body", message: "Enter the text" }]),
  });
  render(ConsentFormsView);
  await user.click(
    await screen.findByRole("button", { name: "Edit Privacy notice acknowledgement" }),
  );
  await user.clear(screen.getByLabelText("Text"));
  await user.click(screen.getByRole("button", { name: "Save new version" }));
  const summary = await screen.findByRole("alert");
  expect(within(summary).getByRole("link", { name: "Enter the text" })).toHaveAttribute(
    "href",
    "#template-body",
  );
  expect(document.getElementById("template-body-error")).toHaveTextContent("Enter the text");
  expect(document.title).toBe("Error: Consent forms – KetaChart");
});

test("required consents are saved per treatment from the grid", async () => {
  const user = userEvent.setup();
  const calls = setup({ set_consent_requirements: (args) => (args as { items: unknown }).items });
  render(ConsentFormsView);
  const spravatoBox = await screen.findByRole("checkbox", {
    name: "Spravato (esketamine) treatment consent esketamine nasal spray (Spravato)",
  });
  expect(spravatoBox).toBeChecked();
  await user.click(
    screen.getByRole("checkbox", {
      name: "Privacy notice acknowledgement Transcranial magnetic stimulation (TMS)",
    }),
  );
  await user.click(screen.getByRole("button", { name: "Save required consents" }));
  await waitFor(() => expect(callsOf(calls, "set_consent_requirements")).toHaveLength(1));
  expect(callsOf(calls, "set_consent_requirements")[0]).toEqual({
    items: [
      { modality: "iv_ketamine", templateKeys: [] },
      { modality: "im_ketamine", templateKeys: [] },
      { modality: "spravato", templateKeys: ["spravato"] },
      { modality: "tms", templateKeys: ["privacy"] },
    ],
  });
  expect(await screen.findByText(/Required consents saved/)).toBeInTheDocument();
});
