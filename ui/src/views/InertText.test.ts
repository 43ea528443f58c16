// Everything the core sends is shown as text, never parsed as markup: a patient named like an
// HTML tag appears literally, and nothing runs.
import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, expect, test, vi } from "vitest";
import Shell from "../screens/Shell.svelte";
import { mockCommands, record, row, session } from "../test/ipc";
import AuditLogView from "./AuditLogView.svelte";
import { preloadLazyViews } from "../test/lazy";

const MARKUP = "<img src=x onerror=alert(1)>";

// The shell loads these views on demand; load them once up front.
beforeAll(preloadLazyViews, 60_000);

afterEach(() => {
  clearMocks();
  vi.restoreAllMocks();
});

test("a patient name with markup shows literally in the list, the banner and the record", async () => {
  const user = userEvent.setup();
  const alert = vi.spyOn(window, "alert").mockImplementation(() => {});
  mockCommands({
    search_patients: () => ({
      patients: [row({ id: 9, familyName: "Smith", givenName: MARKUP, preferredName: null })],
      more: false,
    }),
    get_patient: () => record({ id: 9, familyName: "Smith", givenName: MARKUP }),
  });
  render(Shell, { session, onlocked: vi.fn() });

  const link = await screen.findByRole("button", { name: `SMITH, ${MARKUP}` });
  expect(link.textContent).toBe(`SMITH, ${MARKUP}`);
  expect(document.querySelector("img")).toBeNull();

  await user.click(link);
  const banner = await waitFor(() => {
    const el = document.getElementById("patient-banner-name");
    if (!el) throw new Error("no banner yet");
    return el;
  });
  expect(banner.textContent).toBe(`SMITH, ${MARKUP}`);
  expect(screen.getByRole("heading", { level: 1 }).textContent).toBe(`SMITH, ${MARKUP}`);
  expect(document.querySelector("img")).toBeNull();
  expect(alert).not.toHaveBeenCalled();
});

test("audit entries with markup in names and details show literally", async () => {
  mockCommands({
    audit_actions: () => [],
    list_audit: () => ({
      entries: [
        {
          seq: 1,
          at: "2026-11-21T14:03:05.123Z",
          username: "a.okafor",
          action: "patient.update",
          actionLabel: "Changed a patient",
          patientId: 9,
          patientMrn: "KC-000009",
          patientName: `SMITH, ${MARKUP}`,
          recordType: "patient",
          recordId: "9",
          detail: `<b>bold</b> ${MARKUP}`,
        },
      ],
      nextBefore: null,
    }),
  });
  render(AuditLogView);
  const table = await waitFor(() => {
    const el = document.getElementById("audit-table");
    if (!el) throw new Error("no table yet");
    return el;
  });
  expect(table).toHaveTextContent(`SMITH, ${MARKUP}`);
  expect(table).toHaveTextContent(`<b>bold</b> ${MARKUP}`);
  expect(table.querySelector("img, b")).toBeNull();
});
