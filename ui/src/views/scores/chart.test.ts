import { beforeEach, expect, test, vi } from "vitest";
import { scoreView, trendView } from "../../test/scores";
import { drawTrendChart } from "./chart";
import { chartData } from "./scores";

// jsdom has no canvas: Chart.js is replaced by a recorder of what it was given, and the band
// and session plugins are run against a recording drawing context.
type Config = {
  type: string;
  data: { datasets: { label: string; data: { x: number; y: number }[]; pointStyle: string }[] };
  options: {
    animation: boolean;
    scales: Record<
      string,
      { min: number; max: number; afterBuildTicks: (axis: { ticks: unknown[] }) => void }
    >;
    plugins: { legend: { display: boolean } };
  };
  plugins: {
    id: string;
    beforeDatasetsDraw?: (chart: unknown) => void;
    afterDatasetsDraw?: (chart: unknown) => void;
  }[];
};

const made = vi.hoisted(() => ({ configs: [] as unknown[], destroyed: 0 }));
vi.mock("chart.js", () => {
  class Chart {
    static register = () => {};
    constructor(_canvas: unknown, config: unknown) {
      made.configs.push(config);
    }
    destroy() {
      made.destroyed += 1;
    }
  }
  return {
    Chart,
    Legend: {},
    LinearScale: {},
    LineController: {},
    LineElement: {},
    PointElement: {},
    Tooltip: {},
  };
});

beforeEach(() => {
  made.configs = [];
  made.destroyed = 0;
});

/** A drawing context that records the calls made on it. */
function recorder() {
  const calls: [string, ...unknown[]][] = [];
  const fields: Record<string, unknown> = {};
  const ctx = new Proxy(
    {},
    {
      get: (_t, name: string) =>
        name in fields ? fields[name] : (...args: unknown[]) => calls.push([name, ...args]),
      set: (_t, name: string, value) => {
        fields[name] = value;
        calls.push([`set ${name}`, value]);
        return true;
      },
    },
  );
  return { ctx, calls };
}

const trend = trendView({
  points: [
    scoreView({ id: 1, total: 20, administeredAt: "2026-03-02T09:30" }),
    scoreView({ id: 2, total: 10, administeredAt: "2026-03-30T10:15" }),
  ],
});

function drawnConfig(): Config {
  const data = chartData(trend, ["2026-03-09"]);
  const chart = drawTrendChart(document.createElement("canvas"), data);
  expect(made.configs).toHaveLength(1);
  chart.destroy();
  expect(made.destroyed).toBe(1);
  return made.configs[0] as Config;
}

test("the line, axes and options passed to Chart.js", () => {
  const config = drawnConfig();
  expect(config.type).toBe("line");
  expect(config.options.animation).toBe(false);
  expect(config.data.datasets.map((d) => [d.label, d.data, d.pointStyle])).toEqual([
    [
      "PHQ-9 total",
      [
        { x: Date.UTC(2026, 2, 2, 9, 30), y: 20 },
        { x: Date.UTC(2026, 2, 30, 10, 15), y: 10 },
      ],
      "circle",
    ],
  ]);
  expect(config.options.scales["y"]).toMatchObject({ min: 0, max: 27 });
  expect(config.options.scales["x"]).toMatchObject({
    min: Date.UTC(2026, 2, 2, 9, 30),
    max: Date.UTC(2026, 2, 30, 10, 15),
  });
  // Ticks: each day a score was given; on the y axis, the band edges.
  const xAxis = { ticks: [] as unknown[] };
  config.options.scales["x"]?.afterBuildTicks(xAxis);
  expect(xAxis.ticks).toEqual([
    { value: Date.UTC(2026, 2, 2, 9, 30) },
    { value: Date.UTC(2026, 2, 30, 10, 15) },
  ]);
  const yAxis = { ticks: [] as unknown[] };
  config.options.scales["y"]?.afterBuildTicks(yAxis);
  expect(yAxis.ticks).toEqual([0, 5, 10, 15, 20, 27].map((value) => ({ value })));
  // One line: no legend needed.
  expect(config.options.plugins.legend.display).toBe(false);
  expect(config.plugins.map((p) => p.id)).toEqual(["ketachartBands", "ketachartSessions"]);
});

test("the band plugin shades each band behind the line and labels it in words", () => {
  const config = drawnConfig();
  const bands = config.plugins[0];
  if (!bands?.beforeDatasetsDraw) throw new Error("no band plugin");
  const { ctx, calls } = recorder();
  // 10 px per point of score: 0 at y=300, 27 at y=30.
  const y = { getPixelForValue: (v: number) => 300 - v * 10 };
  bands.beforeDatasetsDraw({
    ctx,
    chartArea: { left: 40, right: 440, top: 30, bottom: 300 },
    scales: { y },
  });
  const rects = calls.filter((c) => c[0] === "fillRect").map((c) => c.slice(1));
  expect(rects).toEqual([
    [40, 255, 400, 45], // None–minimal: 0 to 4.5
    [40, 205, 400, 50], // Mild: 4.5 to 9.5
    [40, 155, 400, 50], // Moderate
    [40, 105, 400, 50], // Moderately severe
    [40, 30, 400, 75], // Severe: 19.5 to 27
  ]);
  const labels = calls.filter((c) => c[0] === "fillText").map((c) => c[1]);
  expect(labels).toEqual(["None–minimal", "Mild", "Moderate", "Moderately severe", "Severe"]);
});

test("the session plugin draws a dashed line at each session", () => {
  const config = drawnConfig();
  const sessions = config.plugins[1];
  if (!sessions?.afterDatasetsDraw) throw new Error("no session plugin");
  const { ctx, calls } = recorder();
  const x = { getPixelForValue: (v: number) => (v - Date.UTC(2026, 2, 2)) / 86_400_000 };
  sessions.afterDatasetsDraw({
    ctx,
    chartArea: { left: 0, right: 30, top: 10, bottom: 200 },
    scales: { x },
  });
  expect(calls.filter((c) => c[0] === "setLineDash")).toEqual([["setLineDash", [4, 4]]]);
  expect(calls.filter((c) => c[0] === "moveTo" || c[0] === "lineTo")).toEqual([
    ["moveTo", 7, 10],
    ["lineTo", 7, 200],
  ]);
});
