// Append-only rows written in groups, for the hot paths that write one row per request and read
// none back: the runner's tool-call audit rows and the token endpoint's client_credentials audit
// rows. Each row joins the isolate's open batch; the request that produced it holds that batch's
// write in its own waitUntil, so every row is written before its request's context may end and an
// isolate that goes away afterwards loses nothing. One D1 batch of N inserts costs about what one
// insert does (docs/architecture.md "Past one database"). A batch is one transaction, so the one
// retry of a failed write never writes a row twice (docs/decisions.md 2026-12-03 "Tool-call audit
// rows written in batches").

/** The D1 binding as lib/ sees it (no Workers types here): what a batch needs. */
export type BatchingDb<S> = { batch(statements: S[]): Promise<unknown> };

export type BatchOptions<T, S, D extends BatchingDb<S>> = {
  /** How long a batch stays open for more rows after its first one. */
  windowMs: number;
  /** A full batch is written at once (D1 caps the statements of one batch). */
  maxRows: number;
  /** The row's insert. */
  statement: (db: D, item: T) => S;
  /** Told what was given up after the last attempt (log counts and names, never values). */
  onGiveUp: (items: T[]) => void;
};

export type StatementBatcher<T, D> = (
  waitUntil: (p: Promise<unknown>) => void,
  db: D,
  item: T,
) => void;

/** A failed batch is tried once more, whole. */
const ATTEMPTS = 2;

type Batch<T, D> = {
  db: D;
  items: T[];
  /** Settles once the batch is written (or given up on): what each row's request waits for. */
  written: Promise<void>;
  /** Ends the wait for more rows now. */
  close: () => void;
};

/** One batcher per kind of row and isolate (module state: it lives as long as the isolate). */
export function statementBatcher<T, S, D extends BatchingDb<S>>(
  options: BatchOptions<T, S, D>,
): StatementBatcher<T, D> {
  let open: Batch<T, D> | undefined;

  const openBatch = (db: D): Batch<T, D> => {
    let close = () => {};
    const ready = new Promise<void>((resolve) => {
      close = resolve;
      setTimeout(resolve, options.windowMs);
    });
    const batch: Batch<T, D> = {
      db,
      items: [],
      close: () => close(),
      written: ready.then(() => {
        if (open === batch) open = undefined;
        return write(batch);
      }),
    };
    return batch;
  };

  const write = async ({ db, items }: Batch<T, D>): Promise<void> => {
    const statements = items.map((item) => options.statement(db, item));
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        await db.batch(statements);
        return;
      } catch {
        if (attempt === ATTEMPTS) options.onGiveUp(items);
      }
    }
  };

  return (waitUntil, db, item) => {
    // Another database (tests give each file its own binding): the open batch is written as is.
    if (open && open.db !== db) {
      open.close();
      open = undefined;
    }
    const batch = (open ??= openBatch(db));
    batch.items.push(item);
    waitUntil(batch.written);
    if (batch.items.length >= options.maxRows) {
      open = undefined;
      batch.close();
    }
  };
}
