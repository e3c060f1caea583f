/**
 * How slow work reports itself: named steps and attachments. The specs map it to Allure; a
 * CLI maps it to the console. The library never imports a test framework for this.
 */
export interface Reporter {
  step<T>(name: string, work: () => Promise<T>): Promise<T>;
  attach(name: string, content: string | Buffer, contentType: string): Promise<void>;
}

/** Steps as log lines; text attachments (a step's commands) printed indented under them. */
export const consoleReporter: Reporter = {
  step: async (_name, work) => work(),
  attach: async (_name, content, contentType) => {
    if (!contentType.startsWith('text/')) return;
    const text = String(content).trimEnd();
    if (text) process.stderr.write(`${text.split('\n').map((line) => `    ${line}`).join('\n')}\n`);
  },
};
