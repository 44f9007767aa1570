/**
 * What the page saves with setState and gets back from getState after the panel was hidden and
 * shown again (VS Code discards a hidden webview's document). It is read back as untrusted input:
 * anything malformed is dropped and the page refills from the host's backlog.
 */
import { type Frame, type RunInfo, validateHostMessage } from '../core/webviewProtocol';
import { isRunMark, type RunMark } from './runFigures';
import type { SavedSeries } from './seriesStore';
import { isWindowId, type WindowId } from './views/controls';

export interface UiState {
  window: WindowId;
  /** Batch table filters ('' = all). */
  model: string;
  outcome: string;
  paused: boolean;
}

export interface PageState {
  v: 1;
  ui: UiState;
  series: SavedSeries | null;
  latest: Frame | null;
  run: RunInfo | null;
  /** Where the current run began (runFigures.ts); absent in states saved before it existed. */
  mark?: RunMark | null;
}

export interface RestoredState {
  ui: UiState;
  /** Checked by SeriesStore.restore. */
  series: unknown;
  latest: Frame | null;
  run: RunInfo | null;
  mark: RunMark | null;
}

export function restorePageState(raw: unknown): RestoredState | null {
  if (typeof raw !== 'object' || raw === null || (raw as { v?: unknown }).v !== 1) return null;
  const s = raw as Partial<Record<keyof PageState, unknown>>;
  const ui = (typeof s.ui === 'object' && s.ui !== null ? s.ui : {}) as Partial<Record<keyof UiState, unknown>>;
  // The latest frame and run info go through the same validator as a host message.
  const checked = validateHostMessage({ type: 'update', run: s.run ?? null, frames: s.latest ? [s.latest] : [] });
  return {
    ui: {
      window: isWindowId(ui.window) ? ui.window : 'all',
      model: typeof ui.model === 'string' ? ui.model : '',
      outcome: typeof ui.outcome === 'string' ? ui.outcome : '',
      paused: ui.paused === true,
    },
    series: s.series,
    latest: checked.ok ? (checked.value.frames[0] ?? null) : null,
    run: checked.ok ? checked.value.run : null,
    mark: isRunMark(s.mark) ? { runId: s.mark.runId, startAt: s.mark.startAt, baseTokens: s.mark.baseTokens, baseRequests: s.mark.baseRequests } : null,
  };
}
