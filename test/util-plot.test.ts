// The SVG line chart: well-formed, one polyline per series, points inside the plot area, labels escaped.
import { describe, expect, it } from "vitest";
import { lineChartSvg } from "../src/util/plot.js";

describe("lineChartSvg", () => {
  it("draws each series inside the frame", () => {
    const svg = lineChartSvg([
      { name: "acc <train>", points: [{ x: 0, y: 0 }, { x: 50, y: 0.5 }, { x: 100, y: 1 }] },
      { name: "loss", points: [{ x: 0, y: 1 }, { x: 100, y: NaN }] },
    ], { title: "t", xLabel: "step", yLabel: "accuracy", yRange: [0, 1], width: 400, height: 200 });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain("acc &lt;train&gt;");
    const pts = /points="([^"]+)"/.exec(svg)![1].split(" ").map((p) => p.split(",").map(Number));
    expect(pts).toHaveLength(3);
    for (const [x, y] of pts) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(400);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(200);
    }
    expect(pts[0][1]).toBeGreaterThan(pts[2][1]); // higher accuracy is drawn higher
  });
});
