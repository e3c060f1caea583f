/**
 * How slow work reports itself: named steps and attachments. The specs map it to Allure; a
 * CLI maps it to the console. The library never imports a test framework for this.
 */
export interface Reporter {
  step<T>(name: string, work: () => Promise<T>): Promise<T>;
  attach(name: string, content: string | Buffer, contentType: string): Promise<void>;
}
