/**
 * Holds requests in flight for the memory bench: handlers await {@link ParkGate.wait}, and the
 * parent process, over this process's stdin, asks how many are parked (`count` → `parked <n>`)
 * and lets them all go (`release` → `released <n>`).
 */
export class ParkGate {
  #parked: (() => void)[] = [];

  constructor() {
    let pending = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => {
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        this.#command(pending.slice(0, newline).trim());
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
    });
  }

  /** Resolves when the parent sends `release`. */
  wait(): Promise<void> {
    return new Promise((resolve) => this.#parked.push(resolve));
  }

  #command(command: string): void {
    if (command === 'count') process.stdout.write(`parked ${this.#parked.length}\n`);
    if (command === 'release') {
      const released = this.#parked;
      this.#parked = [];
      for (const resolve of released) resolve();
      process.stdout.write(`released ${released.length}\n`);
    }
  }
}
