import { clearMocks } from "@tauri-apps/api/mocks";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { callsOf, mockCommands } from "../../test/ipc";
import IdleWarning from "./IdleWarning.svelte";

beforeEach(() => {
  vi.useFakeTimers({
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
  });
});

afterEach(() => {
  vi.useRealTimers();
  clearMocks();
});

test("30 seconds before the lock a prominent warning counts down and is announced", async () => {
  const calls = mockCommands({ record_activity: () => null });
  render(IdleWarning, { limitSeconds: 120 });

  await vi.advanceTimersByTimeAsync(89_000);
  expect(document.getElementById("idle-warning")).toBeNull();
  expect(document.getElementById("idle-announcer")).toHaveTextContent("");

  await vi.advanceTimersByTimeAsync(1_000);
  const warning = document.getElementById("idle-warning") as HTMLElement;
  expect(warning).toHaveTextContent("KetaChart will lock in 30 seconds");
  expect(warning).toHaveTextContent("Anything you have typed is kept");
  const announcer = document.getElementById("idle-announcer") as HTMLElement;
  expect(announcer).toHaveAttribute("aria-live", "assertive");
  expect(announcer).toHaveTextContent(
    "KetaChart will lock in 30 seconds because it has not been used. Press any key or select Stay signed in to keep working.",
  );
  // The warning does not take focus: it is not modal.
  expect(warning.contains(document.activeElement)).toBe(false);

  await vi.advanceTimersByTimeAsync(11_000);
  expect(document.getElementById("idle-countdown")).toHaveTextContent("19");
  expect(callsOf(calls, "record_activity")).toHaveLength(0);

  await fireEvent.click(screen.getByRole("button", { name: "Stay signed in" }));
  await vi.advanceTimersByTimeAsync(0);
  expect(callsOf(calls, "record_activity")).toHaveLength(1);
  expect(document.getElementById("idle-warning")).toBeNull();
  expect(announcer).toHaveTextContent("");
});

test("keys, pointer, wheel and touch count as activity, reported at most every 2 seconds", async () => {
  const calls = mockCommands({ record_activity: () => null });
  render(IdleWarning, { limitSeconds: 600 });

  await fireEvent.keyDown(window, { key: "a" });
  await fireEvent.pointerDown(window);
  await fireEvent.wheel(window);
  await fireEvent.touchStart(window);
  await vi.advanceTimersByTimeAsync(500);
  await fireEvent.keyDown(window, { key: "b" });
  expect(callsOf(calls, "record_activity")).toHaveLength(1);

  // One trailing report so the core's clock matches the last input.
  await vi.advanceTimersByTimeAsync(1_500);
  expect(callsOf(calls, "record_activity")).toHaveLength(2);

  await vi.advanceTimersByTimeAsync(20_000);
  expect(callsOf(calls, "record_activity")).toHaveLength(2);
  await fireEvent.keyDown(window, { key: "c" });
  expect(callsOf(calls, "record_activity")).toHaveLength(3);
});

test("an activity report answered Locked asks the app to show the unlock screen", async () => {
  mockCommands({
    record_activity: () => {
      throw { code: "Locked", message: "KetaChart is locked. Unlock it to continue" };
    },
  });
  const onlocked = vi.fn();
  render(IdleWarning, { limitSeconds: 600, onlocked });
  await fireEvent.keyDown(window, { key: "a" });
  await vi.advanceTimersByTimeAsync(0);
  expect(onlocked).toHaveBeenCalledTimes(1);
});

test("a new idle time from the settings is used straight away", async () => {
  mockCommands({ record_activity: () => null });
  const { rerender } = render(IdleWarning, { limitSeconds: 600 });
  await vi.advanceTimersByTimeAsync(40_000);
  expect(document.getElementById("idle-warning")).toBeNull();
  await rerender({ limitSeconds: 60 });
  await vi.advanceTimersByTimeAsync(500);
  expect(document.getElementById("idle-warning")).toHaveTextContent(
    "KetaChart will lock in 20 seconds",
  );
});

test("on the kiosk the warning speaks to the patient, with the kiosk's shorter time", async () => {
  const calls = mockCommands({ record_activity: () => null });
  render(IdleWarning, { limitSeconds: 180, forPatient: true });

  await vi.advanceTimersByTimeAsync(150_000);
  const warning = document.getElementById("idle-warning") as HTMLElement;
  expect(warning).toHaveTextContent("This screen will close in 30 seconds");
  expect(warning).toHaveTextContent("To keep your answers, touch the screen");
  expect(warning).not.toHaveTextContent("KetaChart will lock");
  expect(document.getElementById("idle-announcer")).toHaveTextContent(
    "This screen will close in 30 seconds because it has not been used. Press any key or select Keep answering to carry on.",
  );

  await fireEvent.click(screen.getByRole("button", { name: "Keep answering" }));
  await vi.advanceTimersByTimeAsync(0);
  expect(callsOf(calls, "record_activity")).toHaveLength(1);
  expect(document.getElementById("idle-warning")).toBeNull();
});
