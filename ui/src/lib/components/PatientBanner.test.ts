import { render, screen } from "@testing-library/svelte";
import { expect, test } from "vitest";
import type { AllergyStatus } from "../bindings";
import { record } from "../../test/ipc";
import PatientBanner from "./PatientBanner.svelte";

function banner(allergies: AllergyStatus, allergyHref?: string) {
  render(PatientBanner, { props: { patient: record({ allergies }), allergyHref } });
  return document.getElementById("patient-banner-allergies") as HTMLElement;
}

test("known allergies are listed and emphasised, with the screening they come from", () => {
  const el = banner({
    state: "known",
    substances: ["Penicillin", "Latex <gloves>"],
    recordedOn: "2026-11-20",
    signed: true,
  });
  expect(el.textContent?.trim()).toBe("Known allergies: Penicillin, Latex <gloves>");
  expect(el.classList.contains("allergies--known")).toBe(true);
  expect(screen.getByText("From the signed screening of 20-Nov-2026")).toBeTruthy();
});

test("no known allergies from a draft screening says it is a draft", () => {
  const el = banner({
    state: "none_known",
    substances: [],
    recordedOn: "2026-11-19",
    signed: false,
  });
  expect(el.textContent?.trim()).toBe("No known allergies");
  expect(el.classList.contains("allergies--known")).toBe(false);
  expect(screen.getByText("From the draft screening of 19-Nov-2026")).toBeTruthy();
});

test("not recorded and unavailable are told apart", () => {
  const el = banner({ state: "not_recorded", substances: [], recordedOn: null, signed: false });
  expect(el.textContent?.trim()).toBe("Allergies not recorded");
  document.body.innerHTML = "";
  const other = banner({ state: "unavailable", substances: [], recordedOn: null, signed: false });
  expect(other.textContent?.trim()).toBe("Allergies unavailable");
  expect(screen.queryByText(/screening of/)).toBeNull();
});

test("on the chart the allergy state links to the screenings", () => {
  const el = banner(
    { state: "none_known", substances: [], recordedOn: "2026-11-19", signed: true },
    "#chart-screenings",
  );
  expect(el.querySelector("a")?.getAttribute("href")).toBe("#chart-screenings");
});
