/** The worker's loop: analyze each requested file in order and post each result as soon as it is ready. */
import { analyzeFile } from '../analyzeFile';
import { isLoaded, loadLanguage } from '../lang/treeSitter';
import { languageForPath } from '../lang/languages';
import type { AnalyzeRequest, WorkerReply } from './protocol';

export async function serveRequest(request: AnalyzeRequest, post: (reply: WorkerReply) => void): Promise<void> {
  for (const [index, file] of request.files.entries()) {
    const language = languageForPath(file.path);
    if (language && !isLoaded(language)) {
      // Compiling a grammar takes a while once per thread; it is not the file's fault.
      await loadLanguage(language).catch(() => undefined);
      post({ type: 'alive', batch: request.batch });
    }
    let analysis;
    try {
      analysis = await analyzeFile(file.path, file.text, file.bytes, request.options);
    } catch (err) {
      const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
      analysis = { language: language ?? 'text', loc: 0, functions: [], rawImports: [], note: `size-only: analysis failed (${reason})` };
    }
    post({ type: 'result', batch: request.batch, index, analysis });
  }
}
