import { readFile } from 'node:fs/promises';

/** The files of the page, by the name they are served under, with their content types. */
const assetTypes: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console-dom.js': 'text/javascript; charset=utf-8',
  'console-entries.js': 'text/javascript; charset=utf-8',
  'console-endpoints.js': 'text/javascript; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

/** The package's `assets/` folder: one level above both `src/` and `dist/`, so either finds it, packed or not. */
const assetsDirectory = new URL('../assets/', import.meta.url);

/** A file of the page, read once. */
export interface ConsoleAsset {
  readonly body: string;
  readonly contentType: string;
}

/** Reads the page's files on first use and keeps them: the page is a few kilobytes. */
export class ConsoleAssets {
  readonly #read = new Map<string, Promise<ConsoleAsset>>();

  /** The asset served as `name` (`index.html`, `console.css`, `console.js` and its modules); `undefined` for any other name. */
  get(name: string): Promise<ConsoleAsset> | undefined {
    const contentType = assetTypes[name];
    if (contentType === undefined) return undefined;
    let asset = this.#read.get(name);
    if (asset === undefined) {
      asset = readFile(new URL(name, assetsDirectory), 'utf8').then((body) => ({ body, contentType }));
      asset.catch(() => this.#read.delete(name));
      this.#read.set(name, asset);
    }
    return asset;
  }
}
