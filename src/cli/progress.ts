// A progress bar for long work on a TTY (stderr), silent when piped or when --json asks for machine output.
import cliProgress from "cli-progress";

export interface Progress {
  update(value: number, fields?: Record<string, string | number>): void;
  stop(): void;
}

export function progressBar(total: number, label: string, opts: { enabled?: boolean; format?: string } = {}): Progress {
  const enabled = (opts.enabled ?? true) && process.stderr.isTTY === true;
  if (!enabled) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: opts.format ?? `${label} [{bar}] {value}/{total} | {info}`,
      barsize: 28,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { info: "" });
  return {
    update: (value, fields) => bar.update(value, fields ?? {}),
    stop: () => bar.stop(),
  };
}
