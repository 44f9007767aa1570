/** Entry of a scoring worker thread (bundled as dist/scoreWorker.js): requests in, results out. */
import { parentPort } from 'node:worker_threads';
import { serveRequest } from './pool/workerMain';
import type { AnalyzeRequest } from './pool/protocol';

const port = parentPort;
if (!port) throw new Error('scoreWorker must run in a worker thread');

port.postMessage({ type: 'ready' });

// Requests are handled one after another: the pool sends a worker one batch at a time.
let queue = Promise.resolve();
port.on('message', (request: AnalyzeRequest) => {
  queue = queue.then(() => serveRequest(request, (reply) => port.postMessage(reply)));
});
