import { log } from './log.js';

/**
 * How slow work reports itself: named steps and attachments. The specs map it to Allure; a
 * CLI maps it to the console. The library never imports a test framework for this.
 */
export interface Reporter {
  step<T>(name: string, work: () => Promise<T>): Promise<T>;
  attach(name: string, content: string | Buffer, contentType: string): Promise<void>;
}

export const consoleReporter: Reporter = {
  async step(name, work) {
    log('step', name);
    return work();
  },
  async attach(name, content) {
    log('attach', `${name} (${content.length} bytes)`);
  },
};
