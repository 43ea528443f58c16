// Draws a trend chart with Chart.js: the totals as a line over time, the instrument's severity
// bands shaded behind it (each labelled in words, so the shading is never the only cue), and
// treatment sessions as dashed vertical markers. Only the parts used are registered, so the
// bundle keeps the rest of Chart.js out. The numbers come from `chartData` in scores.ts.
import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type Plugin,
} from "chart.js";
import { axisDate, axisDateTime, type TrendChartData } from "./scores";

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);

export type DrawnChart = { destroy: () => void };

/** Axis and legend text: never below 14px (ui-guide §3). */
const FONT = { size: 14 };

/** A design token's value (canvas cannot read CSS variables itself). */
function token(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/** Band rectangles behind the datasets, light to darker with severity, each with its label. */
function bandsPlugin(data: TrendChartData): Plugin<"line"> {
  return {
    id: "ketachartBands",
    beforeDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      const y = scales["y"];
      if (!y || data.bands.length === 0) return;
      // One colour, darker with severity; the words say which band is which.
      const fill = token("--color-text-secondary", "#4c6272");
      const line = token("--color-divider", "#d8dde0");
      const text = token("--color-text", "#212b32");
      ctx.save();
      ctx.font = `14px ${token("--font-family", "sans-serif")}`;
      ctx.textBaseline = "top";
      for (const band of data.bands) {
        const top = y.getPixelForValue(band.to);
        const bottom = y.getPixelForValue(band.from);
        ctx.globalAlpha = Math.min(0.06 + band.shade * 0.05, 0.3);
        ctx.fillStyle = fill;
        ctx.fillRect(chartArea.left, top, chartArea.right - chartArea.left, bottom - top);
        ctx.globalAlpha = 1;
        ctx.strokeStyle = line;
        ctx.beginPath();
        ctx.moveTo(chartArea.left, top);
        ctx.lineTo(chartArea.right, top);
        ctx.stroke();
        if (bottom - top >= 16) {
          ctx.fillStyle = text;
          ctx.fillText(band.label, chartArea.left + 4, top + 2);
        }
      }
      ctx.restore();
    },
  };
}

/** Treatment sessions as dashed vertical lines over the plot. */
function markersPlugin(data: TrendChartData): Plugin<"line"> {
  return {
    id: "ketachartSessions",
    afterDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      const x = scales["x"];
      if (!x || data.markers.length === 0) return;
      ctx.save();
      ctx.strokeStyle = token("--color-text-secondary", "#4c6272");
      ctx.setLineDash([4, 4]);
      for (const at of data.markers) {
        const px = x.getPixelForValue(at);
        ctx.beginPath();
        ctx.moveTo(px, chartArea.top);
        ctx.lineTo(px, chartArea.bottom);
        ctx.stroke();
      }
      ctx.restore();
    },
  };
}

const LINE_STYLES: { colour: [string, string]; point: "circle" | "rect" | "triangle" }[] = [
  { colour: ["--color-link", "#005eb8"], point: "circle" },
  { colour: ["--color-lane-episode", "#7c2855"], point: "rect" },
  { colour: ["--color-lane-other", "#a66100"], point: "triangle" },
];

/** Draws the chart on the canvas; destroy it before drawing again. */
export function drawTrendChart(canvas: HTMLCanvasElement, data: TrendChartData): DrawnChart {
  const tickColour = token("--color-text", "#212b32");
  // A tick at each day a score was given (one per day), and on the y axis at the band edges.
  const days = new Map<string, number>();
  for (const x of data.series.flatMap((s) => s.points.map((p) => p.x)).sort((a, b) => a - b)) {
    if (!days.has(axisDate(x))) days.set(axisDate(x), x);
  }
  const tickDates = [...days.values()];
  const bandTicks =
    data.bands.length > 0
      ? [...new Set([data.yMin, ...data.bands.map((b) => Math.ceil(b.from)), data.yMax])]
      : null;
  const chart = new Chart(canvas, {
    type: "line",
    data: {
      datasets: data.series.map((s, i) => {
        const style = LINE_STYLES[i % LINE_STYLES.length] ?? LINE_STYLES[0];
        const colour = token(...(style?.colour ?? ["--color-link", "#005eb8"]));
        return {
          label: s.label,
          data: s.points.map((p) => ({ x: p.x, y: p.y })),
          borderColor: colour,
          backgroundColor: colour,
          pointStyle: style?.point ?? "circle",
          clip: false as const,
          pointRadius: 4,
          pointHoverRadius: 6,
          borderWidth: 2,
          tension: 0,
        };
      }),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      layout: { padding: { left: 8, right: 24, top: 8 } },
      scales: {
        x: {
          type: "linear",
          min: data.xMin,
          max: data.xMax,
          afterBuildTicks: (axis) => {
            axis.ticks = tickDates.map((value) => ({ value }));
          },
          ticks: {
            callback: (value) => axisDate(Number(value)),
            autoSkip: true,
            maxRotation: 0,
            font: FONT,
            color: tickColour,
          },
          grid: { display: false },
        },
        y: {
          type: "linear",
          min: data.yMin,
          max: data.yMax,
          title: { display: true, text: "Total score", font: FONT, color: tickColour },
          afterBuildTicks: (axis) => {
            if (bandTicks) axis.ticks = bandTicks.map((value) => ({ value }));
          },
          ticks: { precision: 0, font: FONT, color: tickColour },
          // With bands, their edges are the horizontal lines.
          grid: { display: bandTicks === null },
        },
      },
      plugins: {
        legend: {
          display: data.series.length > 1,
          labels: { font: FONT, color: tickColour, usePointStyle: true },
        },
        tooltip: {
          callbacks: {
            title: (items) => (items[0] ? axisDateTime(items[0].parsed.x ?? 0) : ""),
          },
        },
      },
    },
    plugins: [bandsPlugin(data), markersPlugin(data)],
  });
  return { destroy: () => chart.destroy() };
}
