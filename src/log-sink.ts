/**
 * The Node entry's log sink: one JSON line per call, written in batches, every `intervalMs` or once `maxBytes` are
 * waiting, whichever comes first. stdout to a pipe or a file is a synchronous write on Linux, so one write per request
 * costs every request a system call; one per batch costs almost nothing. `flush()` writes what waits at once: the
 * entry calls it on exit, which every way of stopping passes through (a signal's handler ends in process.exit), so the
 * last lines are never lost. Lines wait at most `intervalMs`; the timer does not keep the process alive.
 */
export interface LogSink {
  log: (line: Record<string, unknown>) => void;
  flush: () => void;
}

export function bufferedLogSink(write: (text: string) => void, { intervalMs = 100, maxBytes = 64 * 1024 } = {}): LogSink {
  let pending = "";
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!pending) return;
    const text = pending;
    pending = "";
    write(text);
  };
  const log = (line: Record<string, unknown>) => {
    pending += `${JSON.stringify(line)}\n`;
    // String length counts UTF-16 units, not bytes: close enough for a batch size.
    if (pending.length >= maxBytes) flush();
    else timer ??= setTimeout(flush, intervalMs).unref();
  };
  return { log, flush };
}
