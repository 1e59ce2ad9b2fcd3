// Minimal line charts as standalone SVG (opens in any browser; no dependencies): training curves in run directories.

export interface Series {
  name: string;
  points: readonly { x: number; y: number }[];
}

export interface PlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** fixed y range, e.g. [0, 1] for accuracy; default: the data's range */
  yRange?: [number, number];
  width?: number;
  height?: number;
}

const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4b5563"];
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const fmt = (v: number) => (Math.abs(v) >= 1000 || Number.isInteger(v) ? String(Math.round(v)) : v.toPrecision(2));

/** Renders series as an SVG line chart with axes, 5 ticks per axis and a legend. */
export function lineChartSvg(series: readonly Series[], o: PlotOptions): string {
  const W = o.width ?? 640, H = o.height ?? 360;
  const m = { l: 56, r: 16, t: 36, b: 44 };
  const all = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const xs = all.map((p) => p.x), ys = all.map((p) => p.y);
  const x0 = Math.min(...xs, 0), x1 = Math.max(...xs, 1);
  let [y0, y1] = o.yRange ?? [Math.min(...ys), Math.max(...ys)];
  if (!(y1 > y0)) { y0 -= 0.5; y1 += 0.5; }
  const px = (x: number) => m.l + ((x - x0) / (x1 - x0 || 1)) * (W - m.l - m.r);
  const py = (y: number) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${esc(o.title)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const yv = y0 + ((y1 - y0) * i) / 4, xv = x0 + ((x1 - x0) * i) / 4;
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${py(yv)}" y2="${py(yv)}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${m.l - 6}" y="${py(yv) + 4}" text-anchor="end">${fmt(yv)}</text>`);
    parts.push(`<text x="${px(xv)}" y="${H - m.b + 16}" text-anchor="middle">${fmt(xv)}</text>`);
  }
  parts.push(`<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#111"/><line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#111"/>`);
  parts.push(`<text x="${W / 2}" y="${H - 8}" text-anchor="middle">${esc(o.xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${H / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`);
  series.forEach((s, i) => {
    const c = COLORS[i % COLORS.length];
    const pts = s.points.filter((p) => Number.isFinite(p.y)).map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(" ");
    parts.push(`<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts}"/>`);
    parts.push(`<rect x="${m.l + 10}" y="${m.t + 6 + i * 16}" width="10" height="10" fill="${c}"/><text x="${m.l + 26}" y="${m.t + 15 + i * 16}">${esc(s.name)}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}
