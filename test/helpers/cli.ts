// Runs the real `paperboy` command in a child process against a test database.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { TestDb } from "./db.ts";

const BIN = fileURLToPath(new URL("../../bin/paperboy.js", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment that points a child process at the test database (and its PostgreSQL schema). */
export function dbEnv(db: TestDb): Record<string, string> {
  return {
    DATABASE_URL: db.url,
    ...(db.pgSchema ? { PGOPTIONS: `-c search_path=${db.pgSchema}` } : {}),
  };
}

export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, LOG_LEVEL: "warn", DEMO_DATA: "off", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
