// Chart.js is loaded the first time a trend chart is drawn (its own chunk), so the rest of the
// app starts without it. One load is shared by every chart on the page.
import type { TrendChartData } from "./scores";

export type DrawChart = (
  canvas: HTMLCanvasElement,
  data: TrendChartData,
) => { destroy: () => void };

let pending: Promise<DrawChart> | undefined;

export function loadChart(): Promise<DrawChart> {
  pending ??= import("./chart").then((m) => m.drawTrendChart);
  return pending;
}
