import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, expect, test, vi } from "vitest";
import type { RoleName, SessionInfo } from "../../../lib/bindings";
import Shell from "../../../screens/Shell.svelte";
import { BILLING, CLINICIAN, PROVIDER, mockCommands, record, session } from "../../../test/ipc";
import { queueItem } from "../tracker/test-fixtures";
import { preloadLazyViews } from "../../../test/lazy";

// The shell loads these views on demand; load them once up front.
beforeAll(preloadLazyViews, 60_000);

afterEach(() => clearMocks());

function as(roles: RoleName[], permissions: SessionInfo["permissions"]): SessionInfo {
  return { ...session, user: { ...session.user, roles }, permissions };
}

function mockClinic() {
  return mockCommands({
    search_patients: () => ({ patients: [], more: false }),
    list_patients: () => ({ patients: [], total: 0 }),
    open_alerts: () => [],
    get_patient: () => record({ id: 7 }),
    list_trials: () => [],
    list_records: () => [],
    pa_queue: () => ({ items: [queueItem()], reauthorizationsDue: [], expiring: [] }),
    list_fees: () => [],
  });
}

test("providers and billing staff get the Authorizations area; nurses do not", async () => {
  mockClinic();
  const { unmount } = render(Shell, { session: as(["provider"], PROVIDER), onlocked: vi.fn() });
  expect(document.getElementById("nav-authorizations")).toHaveTextContent("Authorizations");
  unmount();

  mockClinic();
  const billing = render(Shell, { session: as(["billing"], BILLING), onlocked: vi.fn() });
  expect(document.getElementById("nav-authorizations")).not.toBeNull();
  // Billing keeps the payer list, so the fee schedule too.
  expect(document.getElementById("nav-fees")).toHaveTextContent("Fee schedule");
  billing.unmount();

  mockClinic();
  render(Shell, { session: as(["nurse"], CLINICIAN), onlocked: vi.fn() });
  expect(document.getElementById("nav-authorizations")).toBeNull();
  expect(document.getElementById("nav-fees")).toBeNull();
});

test("the queue opens from the sidebar, and a row opens the patient's chart", async () => {
  const user = userEvent.setup();
  mockClinic();
  render(Shell, { session: as(["billing"], BILLING), onlocked: vi.fn() });
  await user.click(document.getElementById("nav-authorizations") as HTMLElement);
  expect(screen.getByRole("heading", { level: 1, name: "Authorizations" })).toHaveFocus();
  expect(document.getElementById("nav-authorizations")).toHaveAttribute("aria-current", "page");
  await user.click(await screen.findByRole("button", { name: "ROSSI, Dana: open the chart" }));
  await waitFor(() =>
    expect(screen.getByRole("heading", { level: 1, name: "ROSSI, Dana" })).toBeInTheDocument(),
  );
  expect(document.getElementById("nav-patients")).toHaveAttribute("aria-current", "page");
});
