import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { createIdleTracker, idleTimeText } from "./idle";

beforeEach(() => {
  vi.useFakeTimers({
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
  });
});

afterEach(() => {
  vi.useRealTimers();
});

function tracker(limitSeconds = 60) {
  const report = vi.fn(async () => true);
  const onwarning = vi.fn();
  const onexpired = vi.fn();
  const t = createIdleTracker({ limitSeconds, report, onwarning, onexpired });
  return { t, report, onwarning, onexpired };
}

test("warns 30 seconds before the limit and counts down", async () => {
  const { t, onwarning } = tracker(60);
  expect(onwarning).not.toHaveBeenCalled();
  await vi.advanceTimersByTimeAsync(29_500);
  expect(onwarning).not.toHaveBeenCalled();
  await vi.advanceTimersByTimeAsync(500);
  expect(onwarning).toHaveBeenLastCalledWith(30);
  await vi.advanceTimersByTimeAsync(10_000);
  expect(onwarning).toHaveBeenLastCalledWith(20);
  t.stop();
});

test("activity ends the warning and restarts the clock", async () => {
  const { t, report, onwarning } = tracker(60);
  await vi.advanceTimersByTimeAsync(45_000);
  expect(onwarning).toHaveBeenLastCalledWith(15);
  t.activity();
  expect(report).toHaveBeenCalledTimes(1);
  expect(onwarning).toHaveBeenLastCalledWith(null);
  await vi.advanceTimersByTimeAsync(29_000);
  expect(onwarning).toHaveBeenLastCalledWith(null);
  t.stop();
});

test("reports at most once every 2 seconds, then once more for the last input", async () => {
  const { t, report } = tracker(600);
  for (let i = 0; i < 10; i += 1) {
    t.activity();
    await vi.advanceTimersByTimeAsync(100);
  }
  expect(report).toHaveBeenCalledTimes(1);
  await vi.advanceTimersByTimeAsync(1_000);
  expect(report).toHaveBeenCalledTimes(2);
  await vi.advanceTimersByTimeAsync(10_000);
  expect(report).toHaveBeenCalledTimes(2);
  t.activity();
  expect(report).toHaveBeenCalledTimes(3);
  t.stop();
});

test("a shorter idle time applies at once; a missed lock event is noticed", async () => {
  const { t, onwarning, onexpired } = tracker(600);
  await vi.advanceTimersByTimeAsync(30_000);
  expect(onwarning).not.toHaveBeenCalled();
  t.setLimit(60);
  expect(onwarning).toHaveBeenLastCalledWith(30);
  await vi.advanceTimersByTimeAsync(32_000);
  expect(onwarning).toHaveBeenLastCalledWith(0);
  expect(onexpired).not.toHaveBeenCalled();
  await vi.advanceTimersByTimeAsync(2_000);
  expect(onexpired).toHaveBeenCalledTimes(1);
  t.stop();
});

test("stops reporting once the core says it is locked", async () => {
  const report = vi.fn(async () => false);
  const t = createIdleTracker({ limitSeconds: 60, report, onwarning: vi.fn() });
  t.activity();
  await vi.advanceTimersByTimeAsync(3_000);
  t.activity();
  expect(report).toHaveBeenCalledTimes(1);
  t.stop();
});

test("an idle time under a minute is warned halfway through", async () => {
  const { t, onwarning } = tracker(8);
  await vi.advanceTimersByTimeAsync(3_500);
  expect(onwarning).not.toHaveBeenCalled();
  await vi.advanceTimersByTimeAsync(500);
  expect(onwarning).toHaveBeenLastCalledWith(4);
  t.stop();
});

test("idle times in words", () => {
  expect(idleTimeText(600)).toBe("10 minutes");
  expect(idleTimeText(60)).toBe("1 minute");
  expect(idleTimeText(90)).toBe("90 seconds");
  expect(idleTimeText(1)).toBe("1 second");
});
