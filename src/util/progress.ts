// A progress bar for long work on a TTY (stderr), silent when piped or when --json asks for machine output.
// Format fields: {bar} {value} {total} {eta_formatted} and {info} (the caller's one-line summary).
import cliProgress from "cli-progress";

export interface Progress {
  update(value: number, fields?: Record<string, string | number>): void;
  stop(): void;
}

/** Format with a time-left estimate (cli-progress computes it from the rate so far). */
export const ETA_FORMAT = "{label} [{bar}] {value}/{total} | ETA {eta_formatted} | {info}";

export function progressBar(total: number, label: string, opts: { enabled?: boolean; format?: string; start?: number } = {}): Progress {
  const enabled = (opts.enabled ?? true) && process.stderr.isTTY === true;
  if (!enabled) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: (opts.format ?? `${label} [{bar}] {value}/{total} | {info}`).replace("{label}", label),
      barsize: 28,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, opts.start ?? 0, { info: "" }); // start > 0 when a resumed run continues
  return {
    update: (value, fields) => bar.update(value, fields ?? {}),
    stop: () => bar.stop(),
  };
}
