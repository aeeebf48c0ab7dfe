// A JWKS origin the tests control: it serves what `body()` returns, records when it was asked
// and with which headers, and can trickle its answer (headers at once, then a byte at a time).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export class Origin {
  readonly times: number[] = [];
  readonly headers: IncomingHttpHeaders[] = [];
  /** Milliseconds between the bytes of the body; 0 sends it at once. */
  trickleMs = 0;
  private constructor(
    private readonly server: Server,
    readonly url: string,
    public body: () => string,
  ) {}

  static async start(body: () => string): Promise<Origin> {
    let origin: Origin | undefined;
    const server = createServer((req, res) => {
      origin?.times.push(Date.now());
      origin?.headers.push(req.headers);
      const text = origin?.body() ?? '';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      if (!origin?.trickleMs) return void res.end(text);
      let at = 0;
      const timer = setInterval(() => {
        if (res.destroyed || at >= text.length) return clearInterval(timer);
        res.write(text[at++]);
      }, origin.trickleMs);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    origin = new Origin(server, `http://127.0.0.1:${port}/jwks.json`, body);
    return origin;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
