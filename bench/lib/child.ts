// The benchmarks' child processes: a bench runs its server (bench:http) or SMTP sink (bench:digest)
// as a second copy of its own script, so the load and the measured side do not share one event
// loop; it reads the lines the child prints ("LISTENING …"), and stops it with SIGTERM at the end.
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface, type Interface } from "node:readline";

export interface BenchChild {
  process: ChildProcess;
  /** The child's stdout, line by line (its stderr goes to ours). */
  lines: Interface;
}

/** Runs `script` (a bench's own file) again under tsx with `args`. */
export function spawnScript(script: string, args: string[]): BenchChild {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return { process: child, lines: createInterface({ input: child.stdout as NonNullable<typeof child.stdout> }) };
}

/** The rest of the first line the child prints that starts with `prefix`, or null if it exits first. */
export function lineFrom(child: BenchChild, prefix: string): Promise<string | null> {
  return new Promise((resolve) => {
    child.lines.on("line", (line) => {
      if (line.startsWith(prefix)) resolve(line.slice(prefix.length).trim());
    });
    child.process.once("exit", () => resolve(null));
  });
}

/** The address in the "LISTENING <address>" line the child prints once it serves; `what` names it in the error. */
export async function listening(child: BenchChild, what: string): Promise<string> {
  const address = await lineFrom(child, "LISTENING ");
  if (address === null) throw new Error(`${what} exited (${child.process.exitCode}) before listening`);
  return address;
}

/** Stops a child that is still running (SIGTERM) and waits until it has exited. */
export async function stopChild(child: BenchChild | undefined): Promise<void> {
  const proc = child?.process;
  if (!proc || proc.exitCode !== null) return;
  const exited = new Promise((resolve) => proc.once("exit", resolve));
  proc.kill("SIGTERM");
  await exited;
}
