import mysql from 'mysql2/promise';
import type { ResolvedTopology } from '../../config/topology.js';
import { QUERY_TIMEOUT_MS } from '../../cluster/mysql/vip.js';
import { sleep } from '../../support/time.js';
import { FINAL_READ, READ_OWN } from '../checkers/ledger-checker.js';
import type { History, OpType } from '../history/history.js';

export const LEDGER_TABLE = 'halab_ledger';

/**
 * Errors raised before the statement could reach a server: the write certainly did not happen.
 * Anything else (connection lost mid-query, timeouts) leaves the outcome unknown (`info`).
 */
const NOT_SENT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN_BEFORE_SEND']);

export function classifyError(code: string | undefined, phase: 'connect' | 'query'): Exclude<OpType, 'invoke' | 'ok'> {
  if (phase === 'connect') return 'fail';
  return code && NOT_SENT.has(code) ? 'fail' : 'info';
}

export interface WriterOptions {
  writers: number;
  intervalMs: number;
  /** Hard bounds: the writers stop by themselves whatever the spec does. */
  maxSeconds: number;
  maxWritesPerWriter: number;
}

export const DEFAULT_WRITERS: WriterOptions = { writers: 8, intervalMs: 200, maxSeconds: 900, maxWritesPerWriter: 20_000 };

/** The writers' options, with HALAB_WRITERS (how many concurrent writers, 1-64) from the environment. */
export function writerOptions(env: NodeJS.ProcessEnv = process.env, base: WriterOptions = DEFAULT_WRITERS): WriterOptions {
  const text = env.HALAB_WRITERS;
  if (text === undefined || text === '') return base;
  const writers = Number(text);
  if (!Number.isInteger(writers) || writers < 1 || writers > 64) throw new Error(`HALAB_WRITERS=${JSON.stringify(text)}: must be a whole number of writers from 1 to 64 (default ${base.writers})`);
  return { ...base, writers };
}

/**
 * Writers that insert uniquely numbered rows through the VIP, each on its own connection
 * (reconnecting after any error), each row in its own transaction, recording every invoke and
 * its completion in the history. After each acknowledged commit the writer reads its row back on
 * the same connection (`read-own`: read-your-writes; the server that acknowledged must show it).
 */
export class LedgerWriters {
  /** Ids are base + writer × maxWrites + n: unique across writers and runs. */
  readonly base = Date.now() * 1000;
  private stopping = false;
  private running: Promise<void>[] = [];

  constructor(
    private readonly history: History,
    private readonly t: ResolvedTopology,
    private readonly credentials: { user: string; password: string },
    readonly scenario: string,
    private readonly options: WriterOptions = writerOptions(),
  ) {}

  static async prepare(pool: mysql.Pool): Promise<void> {
    await pool.query({ sql: `CREATE TABLE IF NOT EXISTS ${LEDGER_TABLE} (id BIGINT PRIMARY KEY, scenario VARCHAR(64) NOT NULL, written_at DATETIME(3) NOT NULL DEFAULT NOW(3)) ENGINE=InnoDB`, timeout: QUERY_TIMEOUT_MS });
  }

  private connect(): Promise<mysql.Connection> {
    return mysql.createConnection({
      host: this.t.network.vip, user: this.credentials.user, password: this.credentials.password,
      database: this.t.mysql.database, connectTimeout: 2000,
    });
  }

  start(): void {
    const deadline = Date.now() + this.options.maxSeconds * 1000;
    for (let w = 1; w <= this.options.writers; w++) this.running.push(this.write(`writer-${w}`, this.base + (w - 1) * this.options.maxWritesPerWriter, deadline));
  }

  private async write(process: string, first: number, deadline: number): Promise<void> {
    let connection: mysql.Connection | undefined;
    let server: string | undefined;
    for (let n = 1; !this.stopping && n <= this.options.maxWritesPerWriter && Date.now() < deadline; n++) {
      const id = first + n;
      this.history.append({ kind: 'op', process, type: 'invoke', f: 'write', value: id });
      let phase: 'connect' | 'query' = 'connect';
      try {
        if (!connection) {
          connection = await this.connect();
          // Which node this connection reached: with two VIP holders, whose disk took the write.
          const [[row]] = await connection.query<mysql.RowDataPacket[]>({ sql: 'SELECT @@hostname AS host', timeout: 5000 });
          server = String(row.host);
        }
        phase = 'query';
        await connection.query({ sql: 'START TRANSACTION', timeout: 5000 });
        await connection.query({ sql: `INSERT INTO ${LEDGER_TABLE} (id, scenario) VALUES (?, ?)`, timeout: 5000 }, [id, this.scenario]);
        await connection.query({ sql: 'COMMIT', timeout: 5000 });
        this.history.append({ kind: 'op', process, type: 'ok', f: 'write', value: id, node: server });
        // The write is complete whatever the read-back does; a failed read only costs the connection.
        if (!(await this.readOwn(connection, process, id, server))) {
          connection.destroy();
          connection = undefined;
        }
      } catch (error) {
        const err = error as { code?: string; message: string };
        this.history.append({ kind: 'op', process, type: classifyError(err.code, phase), f: 'write', value: id, error: `${phase}: ${err.code ?? ''} ${err.message}`.slice(0, 200) });
        connection?.destroy();
        connection = undefined;
      }
      await sleep(this.options.intervalMs);
    }
    connection?.destroy();
  }

  /**
   * Read-your-writes: the row just committed, on the same connection. A failed read is only a
   * failed read (recorded, never thrown): false tells the writer to reconnect.
   */
  private async readOwn(connection: mysql.Connection, process: string, id: number, server: string | undefined): Promise<boolean> {
    this.history.append({ kind: 'op', process, type: 'invoke', f: READ_OWN, value: id });
    try {
      const [rows] = await connection.query<mysql.RowDataPacket[]>({ sql: `SELECT id FROM ${LEDGER_TABLE} WHERE id = ?`, timeout: 5000 }, [id]);
      this.history.append({ kind: 'op', process, type: 'ok', f: READ_OWN, value: { id, present: rows.length === 1 }, node: server });
      return true;
    } catch (error) {
      this.history.append({ kind: 'op', process, type: 'fail', f: READ_OWN, value: id, error: (error as Error).message.slice(0, 200) });
      return false;
    }
  }

  /** Acknowledged writes so far (for waits: "the ledger writes through the VIP"). */
  acknowledged(): number {
    return this.history.ops({ f: 'write', type: 'ok' }).length;
  }

  lastOutcome(): OpType | undefined {
    return this.history.ops({ f: 'write' }).filter((op) => op.type !== 'invoke').at(-1)?.type;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.running);
  }

  /** The final read, recorded as an op: every ledger row of these writers that the database holds now. */
  async finalRead(pool: mysql.Pool): Promise<number[]> {
    this.history.append({ kind: 'op', process: FINAL_READ, type: 'invoke', f: 'read' });
    try {
      const [rows] = await pool.query<mysql.RowDataPacket[]>({ sql: `SELECT id FROM ${LEDGER_TABLE} WHERE id > ? AND id <= ?`, timeout: QUERY_TIMEOUT_MS },
        [this.base, this.base + this.options.writers * this.options.maxWritesPerWriter]);
      const ids = rows.map((row) => Number(row.id));
      this.history.append({ kind: 'op', process: FINAL_READ, type: 'ok', f: 'read', value: ids });
      return ids;
    } catch (error) {
      this.history.append({ kind: 'op', process: FINAL_READ, type: 'fail', f: 'read', error: (error as Error).message });
      throw error;
    }
  }
}
