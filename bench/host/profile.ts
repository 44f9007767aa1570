/**
 * Where a stall's time goes: the longest stretches of a V8 CPU profile without an idle sample (the
 * event loop did not turn), each with the functions that took most of it (inclusive time, frames of
 * Chorus and its libraries; VS Code's and Node's internals left out unless nothing else is there).
 */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export function longestStretches(profile: CpuProfile, count: number): { ms: number; top: string[] }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stretches: { us: number; from: number; to: number }[] = [];
  let from = 0;
  let us = 0;
  profile.samples.forEach((id, i) => {
    if (byId.get(id)?.callFrame.functionName === '(idle)') {
      if (us > 0) stretches.push({ us, from, to: i });
      us = 0;
      from = i + 1;
    } else us += profile.timeDeltas[i] ?? 0;
  });
  return stretches
    .sort((a, b) => b.us - a.us)
    .slice(0, count)
    .map(({ us: total, from: a, to: b }) => {
      const inclusive = new Map<string, number>();
      for (let i = a; i < b; i++) {
        const seen = new Set<string>();
        for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
          const f = byId.get(id)!.callFrame;
          const ours = /extension\.js|node_modules|bedrock-chorus/.test(f.url);
          const key = `${f.functionName || '(anonymous)'}${ours ? '' : ' [host]'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber}`;
          if (!seen.has(key)) {
            seen.add(key);
            inclusive.set(key, (inclusive.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
          }
        }
      }
      const top = [...inclusive]
        .filter(([k]) => !k.startsWith('(root)'))
        .sort((x, y) => y[1] - x[1])
        .slice(0, 8)
        .map(([k, t]) => `${k} ${Math.round(t / 1000)} ms`);
      return { ms: Math.round(total / 1000), top };
    });
}

/**
 * How much of the profile the thread was busy (not idle), and how much of that was Chorus's own
 * bundle (self time in the installed extension's frames, its bundled libraries included) and VS
 * Code's extension host: figures the machine's load moves less than the event-loop delay, since
 * they count work, not waiting for a core. (VS Code's own files sit under a node_modules folder in
 * code-server, so the folder name alone would count them as ours.)
 */
export function busyTime(profile: CpuProfile): { totalMs: number; busyMs: number; chorusMs: number; vscodeMs: number; gcMs: number; nativeMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  let total = 0;
  let busy = 0;
  let chorus = 0;
  let gc = 0;
  let native = 0;
  let vscode = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    total += us;
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') return;
    busy += us;
    // (program): the VM's own work outside JS frames (message deserialization, compilation, …).
    if (frame.functionName === '(program)') native += us;
    else if (frame.functionName === '(garbage collector)') gc += us;
    else if (frame.url.includes('bedrock-chorus')) chorus += us;
    else if (frame.url.includes('extensionHostProcess')) vscode += us;
  });
  const ms = (us: number) => Math.round(us / 1000);
  return { totalMs: ms(total), busyMs: ms(busy), chorusMs: ms(chorus), vscodeMs: ms(vscode), gcMs: ms(gc), nativeMs: ms(native) };
}
