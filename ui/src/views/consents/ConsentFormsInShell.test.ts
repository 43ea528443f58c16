import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test, vi } from "vitest";
import Shell from "../../screens/Shell.svelte";
import { mockCommands, nurseSession, row, session } from "../../test/ipc";
import { template } from "./test-fixtures";

afterEach(() => clearMocks());

function mockClinic() {
  return mockCommands({
    search_patients: () => ({ patients: [row()], more: false }),
    list_patients: () => ({ patients: [row()], total: 1 }),
    list_consent_templates: () => [template()],
    consent_requirements: () => [],
  });
}

test("administrators find Consent forms with the other settings pages", async () => {
  const user = userEvent.setup();
  mockClinic();
  render(Shell, { session, onlocked: vi.fn() });
  const nav = screen.getByRole("navigation", { name: "Main" });
  expect(nav).toHaveTextContent(/Settings.*Consent forms.*My account/);
  await user.click(screen.getByRole("button", { name: "Consent forms" }));
  expect(screen.getByRole("heading", { level: 1, name: "Consent forms" })).toHaveFocus();
  expect(screen.getByRole("button", { name: "Consent forms" })).toHaveAttribute(
    "aria-current",
    "page",
  );
  expect(await screen.findByRole("table", { name: "Consent forms: 1" })).toBeInTheDocument();
});

test("staff without the settings permission are not offered it", () => {
  mockClinic();
  render(Shell, { session: nurseSession, onlocked: vi.fn() });
  expect(screen.queryByRole("button", { name: "Consent forms" })).toBeNull();
});
