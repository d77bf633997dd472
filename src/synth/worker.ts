// Worker thread: runs batches of the simulation on request and sends back their encoded bytes.
import { parentPort, workerData } from 'node:worker_threads';
import { runBatch, type BatchConfig } from './batch.ts';

const cfg = workerData as BatchConfig;
const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');
port.on('message', (index: number) => {
  const r = runBatch(cfg, index);
  const transfer: ArrayBuffer[] = [];
  for (const p of r.pkgs) transfer.push(p.residents.buffer as ArrayBuffer, p.history.buffer as ArrayBuffer);
  port.postMessage(r, transfer);
});
