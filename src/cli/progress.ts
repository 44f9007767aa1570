/**
 * Progress on stderr while `chorus analyze` runs: a redrawn bar on a terminal (files done/total and
 * per-model throughput), plain lines otherwise (CI logs), so stdout stays clean for the report.
 * File names, model ids, reasons and log messages are data: every line goes through terminalSafeLine
 * (one record per line, no control characters, no CI workflow commands). The bar's own redraw
 * (`\r…\u001b[K`) is written around that text, never inside it.
 */
import type { EngineEvent } from '../core/engine';
import type { Logger } from '../core/logger';
import type { RunSnapshot } from '../core/metrics/types';
import { terminalSafeLine } from '../core/text';

export interface ProgressSink {
  write(text: string): void;
  isTTY?: boolean;
  columns?: number;
}

const BAR_WIDTH = 24;
/** Plain mode prints a line when progress was made, at most this often (real ms), plus the final one. */
const PLAIN_EVERY_MS = 2_000;

function shortModel(id: string): string {
  return id.replace(/^(?:us|eu|apac)\./, '').replace(/-v\d+:\d+$|-instruct-v\d+:\d+$/, '');
}

function throughput(snapshot: RunSnapshot): string {
  return snapshot.models
    .map((m) => `${shortModel(m.id)} ${Math.round(m.tokensPerMinute / 1000)}k/${Math.round(m.quotaTpm / 1000)}k tok/min${m.disabledReason ? ' (off)' : ''}`)
    .join(' · ');
}

export function createProgress(sink: ProgressSink): { listener: (event: EngineEvent) => void; finish: () => void } {
  const tty = sink.isTTY === true;
  let total = 0;
  let done = 0;
  let last: RunSnapshot | undefined;
  let lastPlainAt = -Infinity;
  let lastPlainDone = -1;
  let drawn = false;
  // A reason every file fails with (an endpoint that refuses) is said once, with a count at the end.
  const failedWith = new Map<string, number>();

  const line = () => {
    const ratio = total > 0 ? done / total : 0;
    const filled = Math.round(ratio * BAR_WIDTH);
    const bar = tty ? `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ` : '';
    return `${bar}${done}/${total} files${last ? ` · ${throughput(last)}` : ''}`;
  };
  const draw = () => {
    const text = terminalSafeLine(line());
    const width = Math.max(20, (sink.columns ?? 120) - 1);
    sink.write(`\r${text.length > width ? text.slice(0, width) : text}\u001b[K`);
    drawn = true;
  };
  const say = (text: string) => {
    if (tty && drawn) sink.write('\r\u001b[K');
    sink.write(`chorus: ${terminalSafeLine(text)}\n`);
    if (tty) draw();
  };

  const listener = (event: EngineEvent) => {
    switch (event.type) {
      case 'run-started':
        total = event.files;
        if (tty) draw();
        else say(`analyzing ${total} file(s)`);
        break;
      case 'file-done':
        done++;
        if (event.outcome.status === 'failed') {
          const reason = event.outcome.reason ?? '';
          const seen = failedWith.get(reason) ?? 0;
          failedWith.set(reason, seen + 1);
          if (seen === 0) say(`${event.outcome.path} failed: ${reason}`);
        }
        if (tty) draw();
        break;
      case 'model-disabled':
        say(`${event.model} left the run: ${event.reason}`);
        break;
      case 'fallback':
        if (!tty) say(`${event.batchId}: ${event.reason}`);
        break;
      case 'metrics':
        last = event.snapshot;
        if (tty) draw();
        else if (done !== lastPlainDone && Date.now() - lastPlainAt >= PLAIN_EVERY_MS) {
          // Real time on purpose: the run's clock may be sped up (emulator), logs are read by people.
          lastPlainAt = Date.now();
          lastPlainDone = done;
          say(line());
        }
        break;
      default:
        break;
    }
  };
  const finish = () => {
    for (const [reason, n] of failedWith) if (n > 1) say(`${n - 1} more file(s) failed the same way: ${reason}`);
    if (tty && drawn) sink.write('\r\u001b[K');
    else if (!tty && total > 0) say(line());
  };
  return { listener, finish };
}

/** Warnings and errors on stderr; debug too with --verbose. Never file contents (see core/logger). */
export function stderrLogger(sink: ProgressSink, verbose: boolean): Logger {
  const write = (level: string) => (message: string) => sink.write(`chorus ${level}: ${terminalSafeLine(message)}\n`);
  const quiet = () => {};
  return {
    trace: quiet,
    debug: verbose ? write('debug') : quiet,
    info: verbose ? write('info') : quiet,
    warn: write('warn'),
    error: write('error'),
  };
}
