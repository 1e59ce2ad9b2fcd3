// report.html in a run directory: one page to look at instead of reading manifest.json and metrics.jsonl — the
// run's status and command, every stage with its lineage (inputs → outputs), its summary, its last metrics and its
// plots (plots/<stage>-*.svg), and the datasets with their row counts. Static HTML with relative links, so it opens
// from the file system and travels with the directory. Rewritten whenever a stage finishes or fails and when the
// run's status changes (RunDir), and by `ratio report <dir>` for any run.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { writeFileAtomicSync } from "../util/atomic.js";
import type { Manifest, MetricsRow } from "./run-dir.js";

export const REPORT_FILE = "report.html";

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function fmt(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? v.toLocaleString("en-US") : Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(2) : v.toFixed(4).replace(/0+$/, "").replace(/\.$/, "");
  if (v !== null && typeof v === "object") return Object.entries(v).map(([k, x]) => `${k}: ${fmt(x)}`).join(", ");
  return String(v);
}

const pairs = (o: Record<string, unknown> | undefined): string =>
  !o || Object.keys(o).length === 0 ? "" : `<dl>${Object.entries(o).map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(fmt(v))}</dd>`).join("")}</dl>`;

/** A path inside the run becomes a link; anything else is shown as text. */
function link(dir: string, p: string): string {
  return !path.isAbsolute(p) && existsSync(path.join(dir, p)) ? `<a href="${esc(p)}">${esc(p)}</a>` : esc(p);
}

function readRows(file: string): MetricsRow[] {
  if (!existsSync(file)) return [];
  const out: MetricsRow[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    try {
      if (line.trim() !== "") out.push(JSON.parse(line) as MetricsRow);
    } catch {
      // a torn last line while the run is being written: skipped, as RunDir does
    }
  }
  return out;
}

/** Datasets under datasets/ with their row counts (from the lineage sidecars). */
function datasets(dir: string): { file: string; rows: unknown }[] {
  const root = path.join(dir, "datasets");
  if (!existsSync(root)) return [];
  const out: { file: string; rows: unknown }[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".jsonl")) {
        let rows: unknown = "?";
        try {
          rows = (JSON.parse(readFileSync(`${p}.meta.json`, "utf8")) as { rows?: unknown }).rows ?? "?";
        } catch {
          // no sidecar
        }
        out.push({ file: path.relative(dir, p), rows });
      }
    }
  };
  walk(root);
  return out;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ddd}code{background:#f4f4f4;padding:0 .3em}
.status{padding:.1em .5em;border-radius:3px;color:#fff}.complete{background:#2a7}.running{background:#c80}.failed{background:#c33}.pending{background:#999}
dl{display:grid;grid-template-columns:max-content auto;gap:0 1em;margin:.3em 0}dt{color:#666}dd{margin:0}
.plots img{max-width:48%;margin:.3em .5%;border:1px solid #eee}table{border-collapse:collapse}td,th{padding:.2em .8em;border-bottom:1px solid #eee;text-align:left}`;

/** The report's HTML for the run directory `dir` with manifest `m`. */
export function renderRunReport(dir: string, m: Readonly<Manifest>): string {
  const rows = readRows(path.join(dir, "metrics.jsonl"));
  const plots = existsSync(path.join(dir, "plots")) ? readdirSync(path.join(dir, "plots")).filter((f) => f.endsWith(".svg")).sort() : [];
  const shown = new Set<string>();
  const stages = m.stages.map((s) => {
    const mine = plots.filter((f) => f.startsWith(`${s.name}-`));
    mine.forEach((f) => shown.add(f));
    const last = rows.filter((r) => r.stage === s.name && (r.kind ?? "train") === "train").at(-1);
    const lastMetrics = last ? Object.fromEntries(Object.entries(last).filter(([k]) => k !== "stage")) : undefined;
    return `<h2>${esc(s.name)} <small>(${esc(s.kind)})</small> <span class="status ${esc(s.status)}">${esc(s.status)}</span></h2>
${s.error ? `<p><b>error:</b> ${esc(s.error)}</p>` : ""}
<dl>${Object.entries(s.inputs).map(([k, v]) => `<dt>in: ${esc(k)}</dt><dd>${link(dir, v)}</dd>`).join("")}${Object.entries(s.outputs).map(([k, v]) => `<dt>out: ${esc(k)}</dt><dd>${link(dir, v)}</dd>`).join("")}${s.started ? `<dt>started</dt><dd>${esc(s.started)}</dd>` : ""}${s.finished ? `<dt>finished</dt><dd>${esc(s.finished)}</dd>` : ""}</dl>
${s.summary ? `<h3>summary</h3>${pairs(s.summary)}` : ""}${lastMetrics ? `<h3>last step</h3>${pairs(lastMetrics)}` : ""}
${mine.length ? `<div class="plots">${mine.map((f) => `<a href="plots/${esc(f)}"><img src="plots/${esc(f)}" alt="${esc(f)}"></a>`).join("")}</div>` : ""}`;
  });
  const other = plots.filter((f) => !shown.has(f));
  const data = datasets(dir);
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>ratio run ${esc(path.basename(path.resolve(dir)))}</title><style>${STYLE}</style></head><body>
<h1>${esc(path.basename(path.resolve(dir)))} <span class="status ${esc(m.status)}">${esc(m.status)}</span></h1>
<dl><dt>command</dt><dd><code>${esc(m.command.join(" "))}</code></dd><dt>seed</dt><dd>${m.seed}</dd><dt>created</dt><dd>${esc(m.created)}</dd><dt>updated</dt><dd>${esc(m.updated)}</dd>
${m.error ? `<dt>error</dt><dd>${esc(m.error)}</dd>` : ""}<dt>files</dt><dd><a href="manifest.json">manifest.json</a> · <a href="metrics.jsonl">metrics.jsonl</a>${existsSync(path.join(dir, "samples.jsonl")) ? ` · <a href="samples.jsonl">samples.jsonl</a>` : ""}</dd></dl>
${stages.join("\n")}
${other.length ? `<h2>other plots</h2><div class="plots">${other.map((f) => `<a href="plots/${esc(f)}"><img src="plots/${esc(f)}" alt="${esc(f)}"></a>`).join("")}</div>` : ""}
${data.length ? `<h2>datasets</h2><table><tr><th>file</th><th>rows</th></tr>${data.map((d) => `<tr><td>${link(dir, d.file)}</td><td>${esc(fmt(d.rows))}</td></tr>`).join("")}</table>` : ""}
</body></html>
`;
}

/** Writes report.html into the run directory (atomically); returns its path. */
export function writeRunReport(dir: string, m: Readonly<Manifest>): string {
  const file = path.join(dir, REPORT_FILE);
  writeFileAtomicSync(file, renderRunReport(dir, m));
  return file;
}
