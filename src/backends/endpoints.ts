// Several base URLs behind one backend: each request goes to the endpoint with the fewest requests in flight (ties:
// the least recently chosen), at most `maxConcurrency` in flight per endpoint (more wait in a FIFO queue), and an
// endpoint that refused a connection is avoided for `downMs` while another one is up.

export interface Endpoint<C> {
  readonly url: string;
  readonly client: C;
  inFlight: number;
  /** time (ms, performance.now) before which the endpoint counts as down */
  downUntil: number;
  /** order of last choice, for round robin among equals */
  lastChosen: number;
}

export class EndpointPool<C> {
  readonly endpoints: Endpoint<C>[];
  private readonly waiting: (() => void)[] = [];
  private chosen = 0;

  constructor(
    endpoints: readonly { url: string; client: C }[],
    readonly maxConcurrency: number,
    private readonly downMs = 5000,
  ) {
    if (endpoints.length === 0) throw new Error("at least one base URL is needed");
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) throw new Error(`max concurrency per endpoint must be an integer ≥ 1, got ${maxConcurrency}`);
    this.endpoints = endpoints.map((e) => ({ url: e.url, client: e.client, inFlight: 0, downUntil: 0, lastChosen: -1 }));
  }

  /** Runs `fn` on a free endpoint (waiting for one if all are at their limit). */
  async run<T>(fn: (e: Endpoint<C>) => Promise<T>): Promise<T> {
    const e = await this.acquire();
    try {
      return await fn(e);
    } finally {
      e.inFlight--;
      this.waiting.shift()?.();
    }
  }

  /** Marks an endpoint down (a refused connection): others are preferred for a while. */
  markDown(e: Endpoint<C>): void {
    e.downUntil = performance.now() + this.downMs;
  }

  private async acquire(): Promise<Endpoint<C>> {
    for (;;) {
      const now = performance.now();
      let best: Endpoint<C> | null = null;
      for (const e of this.endpoints) {
        if (e.inFlight >= this.maxConcurrency) continue;
        if (best === null || better(e, best, now)) best = e;
      }
      if (best !== null) {
        best.inFlight++;
        best.lastChosen = this.chosen++;
        return best;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }
}

function better<C>(a: Endpoint<C>, b: Endpoint<C>, now: number): boolean {
  const downA = a.downUntil > now ? 1 : 0;
  const downB = b.downUntil > now ? 1 : 0;
  if (downA !== downB) return downA < downB;
  if (a.inFlight !== b.inFlight) return a.inFlight < b.inFlight;
  return a.lastChosen < b.lastChosen;
}
