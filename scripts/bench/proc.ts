import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * What Linux's /proc says about a process: CPU time (every thread's, GC helpers included) and resident memory. The
 * bench reads them around each round, so a subject's CPU per request is its own, whatever else runs on the machine.
 */

/** Clock ticks per second, the unit of /proc/<pid>/stat's times (100 on most Linux systems). */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User plus system CPU time of a process so far, in microseconds. */
export function cpuMicros(pid: number): number {
  // The command name (field 2) may hold spaces and parentheses: count fields after its closing parenthesis.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of the whole line, so 12 and 13 after the name.
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS_PER_SECOND;
}

export function rssBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb) * 1024;
}
