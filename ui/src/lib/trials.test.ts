import { expect, test } from "vitest";
import { formatDose, therapeuticWeeks } from "./trials";

test("doses follow the ISMP rules", () => {
  expect(formatDose(0.5, "mg")).toBe("0.5 mg");
  expect(formatDose(1, "mg")).toBe("1 mg");
  expect(formatDose(1.5, "mg")).toBe("1.5 mg");
  expect(formatDose(1200, "mg")).toBe("1,200 mg");
  expect(formatDose(5, "cc")).toBe("5 mL");
  expect(formatDose(25, "µg")).toBe("25 mcg");
});

test("weeks at the therapeutic dose say how certain they are", () => {
  expect(therapeuticWeeks(null)).toBeNull();
  expect(therapeuticWeeks({ minDays: 56, maxDays: 56, certainWeeks: 8, maxWeeks: 8 })).toBe("8 wk");
  expect(therapeuticWeeks({ minDays: 30, maxDays: 364, certainWeeks: 4, maxWeeks: 52 })).toBe(
    "at least 4 wk (up to 52)",
  );
});
