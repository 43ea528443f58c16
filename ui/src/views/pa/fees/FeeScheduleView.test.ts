import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import type { FeeView } from "../../../lib/bindings";
import { callsOf, ipcError, mockCommands, type Handler } from "../../../test/ipc";
import { fee } from "../tracker/test-fixtures";
import FeeScheduleView from "./FeeScheduleView.svelte";
import { amountAsTyped, money } from "./fees";

afterEach(() => clearMocks());

const FEES = [
  fee({ code: "G2082", description: "Esketamine session, up to 56 mg", amount: "1250.5" }),
  fee(),
];

function setup(
  opts: { fees?: FeeView[]; canEdit?: boolean; handlers?: Record<string, Handler> } = {},
) {
  const calls = mockCommands({ list_fees: () => opts.fees ?? FEES, ...opts.handlers });
  render(FeeScheduleView, { canEdit: opts.canEdit ?? true });
  return { calls };
}

async function table(): Promise<HTMLElement> {
  return waitFor(() => {
    const el = document.getElementById("fees-table");
    if (!el) throw new Error("no table");
    return el;
  });
}

test("money reads with a dollar sign, commas and cents", () => {
  expect(money("350.00")).toBe("$350.00");
  expect(money("1250.5")).toBe("$1,250.50");
  expect(money("75")).toBe("$75.00");
  expect(money("n/a")).toBe("n/a");
  expect(amountAsTyped(" $1,250.00 ")).toBe("1250.00");
});

test("lists the fees by code with the amount right-aligned", async () => {
  setup();
  expect(screen.getByRole("heading", { level: 1, name: "Fee schedule" })).toHaveFocus();
  const t = await table();
  expect(t.querySelector("caption")).toHaveTextContent("2 fees, by code");
  const rows = within(t).getAllByRole("row").slice(1);
  expect(rows[0]).toHaveTextContent(/90868\s*TMS treatment session\s*\$350\.00/);
  expect(rows[1]).toHaveTextContent(/G2082\s*Esketamine session, up to 56 mg\s*\$1,250\.50/);
  expect(rows[0]?.querySelector("td.align-right")).toHaveTextContent("$350.00");
});

test("people who may not change the schedule only read it", async () => {
  setup({ canEdit: false });
  await table();
  expect(screen.queryByRole("button", { name: "Add a fee" })).toBeNull();
  expect(screen.queryByRole("button", { name: /Remove/ })).toBeNull();
});

test("adding a fee sends code, description and amount; the core's errors show on the boxes", async () => {
  const user = userEvent.setup();
  let refuse = true;
  const { calls } = setup({
    handlers: {
      set_fee: (args) =>
        refuse
          ? ipcError("Validation", "Check the fee", [
              {
                field: "code",
                message:
                  "Enter a CPT or HCPCS code: 5 digits (90868) or a letter and 4 digits (G2082)",
              },
              { field: "fee", message: "Enter the fee in dollars and cents, like 350.00" },
            ])
          : fee({ code: "90867", description: args["description"] as string, amount: "400.00" }),
    },
  });
  await table();
  await user.click(screen.getByRole("button", { name: "Add a fee" }));
  expect(document.getElementById("fee-form-title")).toHaveFocus();
  await user.type(screen.getByLabelText("Billing code"), "9086");
  await user.type(screen.getByLabelText("Description"), "TMS mapping session");
  await user.type(screen.getByLabelText("Fee, in US dollars"), "$400");
  await user.click(screen.getByRole("button", { name: "Add fee" }));
  await waitFor(() => expect(callsOf(calls, "set_fee")).toHaveLength(1));
  expect(callsOf(calls, "set_fee")[0]).toEqual({
    code: "9086",
    description: "TMS mapping session",
    amount: "400",
  });
  const summary = await waitFor(() => document.getElementById("fee-errors") as HTMLElement);
  expect(summary).toHaveFocus();
  expect(
    within(summary)
      .getAllByRole("link")
      .map((l) => l.getAttribute("href")),
  ).toEqual(["#fee-code", "#fee-amount"]);
  expect(document.getElementById("fee-amount-error")).toHaveTextContent(
    "Error: Enter the fee in dollars and cents, like 350.00",
  );
  expect(document.title).toBe("Error: Fee schedule – KetaChart");
  expect(screen.getByLabelText("Billing code")).toHaveValue("9086");

  refuse = false;
  await user.clear(screen.getByLabelText("Billing code"));
  await user.type(screen.getByLabelText("Billing code"), "90867");
  await user.click(screen.getByRole("button", { name: "Add fee" }));
  expect(await screen.findByText("90867 added: $400.00")).toBeInTheDocument();
  const t = await table();
  expect(within(t).getAllByRole("row")).toHaveLength(4);
  expect(document.title).toBe("Fee schedule – KetaChart");
});

test("changing a fee keeps its code", async () => {
  const user = userEvent.setup();
  const { calls } = setup({ handlers: { set_fee: () => fee({ amount: "375.00" }) } });
  await table();
  await user.click(screen.getByRole("button", { name: "Change the fee for 90868" }));
  expect(screen.queryByLabelText("Billing code")).toBeNull();
  const amount = screen.getByLabelText("Fee, in US dollars");
  expect(amount).toHaveValue("350.00");
  await user.clear(amount);
  await user.type(amount, "375.00");
  await user.click(screen.getByRole("button", { name: "Save fee" }));
  await waitFor(() =>
    expect(callsOf(calls, "set_fee")[0]).toEqual({
      code: "90868",
      description: "TMS treatment session",
      amount: "375.00",
    }),
  );
  expect(await screen.findByText("90868 saved: $375.00")).toBeInTheDocument();
});

test("removing a fee asks first, then removes it", async () => {
  const user = userEvent.setup();
  const { calls } = setup({ handlers: { remove_fee: () => null } });
  await table();
  await user.click(screen.getByRole("button", { name: "Remove 90868" }));
  expect(
    screen.getByRole("heading", { name: "Remove 90868 from the fee schedule?" }),
  ).toHaveFocus();
  expect(callsOf(calls, "remove_fee")).toHaveLength(0);
  await user.click(screen.getByRole("button", { name: "Keep the fee" }));
  expect(screen.queryByRole("heading", { name: /Remove 90868/ })).toBeNull();
  expect(screen.getByRole("button", { name: "Remove 90868" })).toHaveFocus();

  await user.click(screen.getByRole("button", { name: "Remove 90868" }));
  await user.click(screen.getByRole("button", { name: "Remove fee 90868" }));
  await waitFor(() => expect(callsOf(calls, "remove_fee")).toEqual([{ code: "90868" }]));
  expect(await screen.findByText("90868 removed from the fee schedule")).toBeInTheDocument();
  const t = await table();
  expect(within(t).queryByText("90868")).toBeNull();
});

test("an empty schedule says how to start", async () => {
  setup({ fees: [] });
  expect(await screen.findByText(/No fees yet\. Add the fee for each code/)).toBeInTheDocument();
  expect(document.getElementById("fees-table")).toBeNull();
});
