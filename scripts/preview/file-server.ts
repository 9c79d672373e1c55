import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Serves shared files on 127.0.0.1 the way Slack's and Discord's file hosts do, so that a capture goes
 * through the adapters' real download paths (size checks, origin checks, streaming) and not around them.
 */
export interface FileHost {
  readonly origin: string;
  /** Makes `bytes` downloadable and returns its URL. */
  put(name: string, bytes: Uint8Array): string;
  close(): Promise<void>;
}

export async function startFileHost(): Promise<FileHost> {
  const files = new Map<string, Uint8Array>();
  const server: Server = createServer((req, res) => {
    const bytes = files.get(req.url ?? '');
    if (bytes === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.byteLength) }).end(Buffer.from(bytes));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    put(name, bytes) {
      const path = `/files/${files.size + 1}/${encodeURIComponent(name)}`;
      files.set(path, bytes);
      return `${origin}${path}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
