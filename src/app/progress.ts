// Progress for long work: a bar on a terminal (cli-progress), a log line every few seconds otherwise
// (a service log, a CI run, a pipe), so both a person and a log reader see how far it got.
import cliProgress from "cli-progress";
import { log } from "./log.ts";

export interface Progress {
  /** Moves to `value` of `total`; `detail` is shown beside the bar or in the log line. */
  update(value: number, detail?: Record<string, number | string>): void;
  stop(): void;
}

export interface ProgressOptions {
  label: string;
  total: number;
  /** How the value is shown: "bytes" as MiB, "items" as counts. */
  unit: "bytes" | "items";
  /** Force a mode; by default a bar when standard error is a terminal. */
  mode?: "bar" | "log" | "silent";
  logEveryMs?: number;
}

function show(value: number, unit: ProgressOptions["unit"]): string {
  return unit === "bytes" ? `${(value / 1048576).toFixed(1)} MiB` : String(value);
}

export function createProgress(options: ProgressOptions): Progress {
  const mode = options.mode ?? (process.stderr.isTTY ? "bar" : "log");
  if (mode === "silent") return { update() {}, stop() {} };
  if (mode === "bar") {
    const bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: `${options.label} [{bar}] {percentage}% | {shown}/{totalShown} | {detail} | ETA {eta_formatted}`,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(options.total, 0, {
      shown: show(0, options.unit),
      totalShown: show(options.total, options.unit),
      detail: "",
    });
    return {
      update(value, detail = {}) {
        bar.update(value, {
          shown: show(value, options.unit),
          detail: Object.entries(detail)
            .map(([k, v]) => `${k} ${v}`)
            .join(", "),
        });
      },
      stop() {
        bar.stop();
      },
    };
  }
  const every = options.logEveryMs ?? 5000;
  let last = Date.now();
  const started = last;
  return {
    update(value, detail = {}) {
      const now = Date.now();
      if (now - last < every) return;
      last = now;
      const pct = options.total > 0 ? Math.round((value / options.total) * 100) : 0;
      log.info(`${options.label} ${pct}%`, {
        done: show(value, options.unit),
        of: show(options.total, options.unit),
        ...detail,
        elapsed_s: Math.round((now - started) / 1000),
      });
    },
    stop() {},
  };
}
