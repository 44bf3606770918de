import { pause } from './fleet';

export interface ProbeFigures {
  /** Answers by HTTP status, over every probe. */
  statuses: Map<number, number>;
  /** 503 answers that came without Retry-After. */
  unavailableWithoutRetryAfter: number;
}

/**
 * Asks the panel every 100 ms for its health and for a read that needs the
 * database (a session check and a query), as a load balancer and a
 * dashboard would, and tallies the answers until stopped.
 */
export function probePanel(url: string, cookie: string, path: string): { stop(): Promise<ProbeFigures> } {
  const figures: ProbeFigures = { statuses: new Map(), unavailableWithoutRetryAfter: 0 };
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const [target, headers] of [[`${url}/api/health`, {}], [`${url}${path}`, { cookie }]] as const) {
        try {
          const answer = await fetch(target, { headers, signal: AbortSignal.timeout(10_000) });
          await answer.arrayBuffer();
          figures.statuses.set(answer.status, (figures.statuses.get(answer.status) ?? 0) + 1);
          if (answer.status === 503 && !answer.headers.get('retry-after')) figures.unavailableWithoutRetryAfter += 1;
        } catch {
          // The panel process itself is not the one going away here: a refused connection would show as a missing answer.
          figures.statuses.set(0, (figures.statuses.get(0) ?? 0) + 1);
        }
      }
      await pause(100);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return figures;
    },
  };
}

/** Polls until the panel's health is 200 again. */
export async function waitHealthy(url: string): Promise<void> {
  for (;;) {
    const status = await fetch(`${url}/api/health`).then((answer) => answer.status, () => 0);
    if (status === 200) return;
    await pause(100);
  }
}
