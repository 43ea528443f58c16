import { render, screen } from "@testing-library/svelte";
import { beforeAll, expect, test } from "vitest";
import SignaturePad from "./SignaturePad.svelte";

beforeAll(() => {
  // jsdom has no 2D canvas: the real signature_pad cannot draw here.
  HTMLCanvasElement.prototype.getContext = (() => null) as never;
});

test("a pad is a labelled group with its hint, state and Clear button", () => {
  render(SignaturePad, {
    id: "pad",
    label: "Patient signature",
    error: "The patient has not signed yet",
  });
  const group = screen.getByRole("group", { name: "Patient signature" });
  expect(group).toHaveAccessibleDescription(
    /Sign inside the box with a mouse, a finger or a pen.*Not signed yet.*Error: The patient has not signed yet/,
  );
  expect(screen.getByRole("button", { name: "Clear patient signature" })).toBeInTheDocument();
  const canvas = document.getElementById("pad")!;
  expect(canvas.tagName).toBe("CANVAS");
  expect(canvas).toHaveAttribute("aria-label", "Patient signature pad, empty");
});

test("without a drawing surface the pad says so instead of failing", () => {
  render(SignaturePad, { id: "pad", label: "Witness signature" });
  expect(
    screen.getByText(/The signature pad cannot be shown on this computer/),
  ).toBeInTheDocument();
});
