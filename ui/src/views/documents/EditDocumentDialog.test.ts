import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen } from "@testing-library/svelte";
import { afterEach, expect, test, vi } from "vitest";
import { mockCommands, record } from "../../test/ipc";
import EditDocumentDialog from "./EditDocumentDialog.svelte";
import { NO_TARGETS } from "./targets";
import { documentView } from "./test-fixtures";

afterEach(() => clearMocks());

function open(generated: boolean, kind: "consent" | "pharmacy_history") {
  mockCommands({});
  render(EditDocumentDialog, {
    doc: documentView({ generated, kind, title: "Spravato consent (version 1)" }),
    patient: record(),
    targets: NO_TARGETS,
    onsaved: vi.fn(),
    onclose: vi.fn(),
  });
}

test("a consent signed in KetaChart keeps its details: only its links can be edited", () => {
  open(true, "consent");
  expect(screen.getByRole("heading", { name: "Edit links" })).toBeVisible();
  expect(document.getElementById("doc-edit-title")).toBeNull();
  expect(document.getElementById("doc-edit-signed")).toHaveTextContent(
    "Spravato consent (version 1): signed in KetaChart",
  );
  expect(screen.getByRole("button", { name: "Save links" })).toBeVisible();
});

test("an imported document's details can be edited", () => {
  open(false, "pharmacy_history");
  expect(screen.getByRole("heading", { name: "Edit details and links" })).toBeVisible();
  expect(document.getElementById("doc-edit-title")).not.toBeNull();
});
