// Memory of a harness process, read through the V8 inspector (start it with NODE_OPTIONS=--inspect=127.0.0.1:PORT):
// the heap after a full garbage collection, and heap snapshots for finding what is retained.
import { createWriteStream } from 'node:fs';

export interface MemoryReading {
  /** V8 heap in use right after a full GC: what is still reachable. */
  heapUsed: number;
  heapTotal: number;
  rss: number;
  /** Memory of C++ objects bound to JS ones (Buffers among them). */
  external: number;
  arrayBuffers: number;
}

export interface Inspector {
  /**
   * Drops what the inspector itself keeps, runs two full collections (the second frees what finalizers of the first
   * released), then reads process.memoryUsage().
   */
  memoryAfterGc(): Promise<MemoryReading>;
  /** Writes a .heapsnapshot (open it in Chrome DevTools' Memory tab). */
  heapSnapshot(path: string): Promise<void>;
  close(): void;
}

interface Reply {
  id?: number;
  method?: string;
  params?: { chunk?: string };
  result?: { result?: { value?: unknown } };
  error?: { message: string };
}

/** Connects to the inspector listening on `port` (the process's first target). */
export async function connectInspector(port: number): Promise<Inspector> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const ws = new WebSocket(targets[0].webSocketDebuggerUrl);
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve());
    ws.addEventListener('error', () => reject(new Error(`cannot reach the inspector on port ${port}`)));
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  let onEvent: ((m: Reply) => void) | undefined;
  ws.addEventListener('message', (e) => {
    const message = JSON.parse(String(e.data)) as Reply;
    if (message.id === undefined) return onEvent?.(message);
    const p = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) p?.reject(new Error(message.error.message));
    else p?.resolve(message);
  });
  ws.addEventListener('close', () => {
    for (const p of pending.values()) p.reject(new Error('inspector connection closed'));
    pending.clear();
  });
  const send = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<Reply>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });

  return {
    async memoryAfterGc() {
      // With an inspector attached, V8 keeps the arguments of the last 1000 console calls: not the process's own.
      await send('Runtime.discardConsoleEntries');
      await send('HeapProfiler.collectGarbage');
      await send('HeapProfiler.collectGarbage');
      const r = await send('Runtime.evaluate', {
        expression: 'JSON.stringify(process.memoryUsage())',
        returnByValue: true,
      });
      return JSON.parse(String(r.result?.result?.value)) as MemoryReading;
    },
    async heapSnapshot(path) {
      const out = createWriteStream(path);
      onEvent = (m) => {
        if (m.method === 'HeapProfiler.addHeapSnapshotChunk' && m.params?.chunk) out.write(m.params.chunk);
      };
      try {
        await send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      } finally {
        onEvent = undefined;
        await new Promise<void>((resolve) => out.end(resolve));
      }
    },
    close() {
      ws.close();
    },
  };
}
