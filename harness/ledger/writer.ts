import mysql from 'mysql2/promise';
import type { ResolvedTopology } from '../topology/topology.js';
import { classifyError, type Attempt } from './ledger.js';

export const LEDGER_TABLE = 'halab_ledger';

export interface WriterOptions {
  intervalMs: number;
  /** Hard bounds: the writer stops by itself whatever the spec does. */
  maxSeconds: number;
  maxWrites: number;
}

/**
 * Writes uniquely numbered rows to the blog database through the VIP without pause, one
 * connection at a time (reconnecting after any error), and records how each write ended.
 */
export class LedgerWriter {
  readonly attempts: Attempt[] = [];
  /** Ids are base + n: unique across writers and runs. */
  readonly base = Date.now() * 1000;
  private running?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly t: ResolvedTopology,
    private readonly credentials: { user: string; password: string },
    readonly scenario: string,
    private readonly options: WriterOptions = { intervalMs: 200, maxSeconds: 900, maxWrites: 20_000 },
  ) {}

  private connect(): Promise<mysql.Connection> {
    return mysql.createConnection({
      host: this.t.network.vip, user: this.credentials.user, password: this.credentials.password,
      database: this.t.mysql.database, connectTimeout: 2000,
    });
  }

  static async prepare(pool: mysql.Pool): Promise<void> {
    await pool.query(`CREATE TABLE IF NOT EXISTS ${LEDGER_TABLE} (id BIGINT PRIMARY KEY, scenario VARCHAR(64) NOT NULL, written_at DATETIME(3) NOT NULL DEFAULT NOW(3)) ENGINE=InnoDB`);
  }

  start(): void {
    const deadline = Date.now() + this.options.maxSeconds * 1000;
    this.running = (async () => {
      let connection: mysql.Connection | undefined;
      for (let n = 1; !this.stopping && n <= this.options.maxWrites && Date.now() < deadline; n++) {
        const attempt: Attempt = { id: this.base + n, at: Date.now(), outcome: 'unknown' };
        this.attempts.push(attempt);
        let phase: 'connect' | 'query' = 'connect';
        try {
          connection ??= await this.connect();
          phase = 'query';
          await connection.query({ sql: `INSERT INTO ${LEDGER_TABLE} (id, scenario) VALUES (?, ?)`, timeout: 5000 }, [attempt.id, this.scenario]);
          attempt.outcome = 'acknowledged';
        } catch (error) {
          const err = error as { code?: string; message: string };
          attempt.outcome = classifyError(err.code, phase);
          attempt.error = `${phase}: ${err.code ?? ''} ${err.message}`.slice(0, 200);
          connection?.destroy();
          connection = undefined;
        }
        await new Promise((resolve) => setTimeout(resolve, this.options.intervalMs));
      }
      connection?.destroy();
    })();
  }

  async stop(): Promise<Attempt[]> {
    this.stopping = true;
    await this.running;
    return this.attempts;
  }

  /** The ledger rows of this writer that the database holds now. */
  async survivors(pool: mysql.Pool): Promise<number[]> {
    const [rows] = await pool.query<mysql.RowDataPacket[]>(`SELECT id FROM ${LEDGER_TABLE} WHERE id > ? AND id <= ?`,
      [this.base, this.base + this.options.maxWrites]);
    return rows.map((row) => Number(row.id));
  }
}
