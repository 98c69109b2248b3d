/** Types of esm-bundle.js (plain JavaScript, so that bin/tidemark.js can use it before tsx is loaded). */
export declare const ROOT: string;
export declare function freshBundle(name: string): string | null;
export declare function buildBundle(options: {
  name: string;
  entry: string;
  splitting?: boolean;
}): Promise<string | null>;
export declare function buildBundleSync(options: {
  name: string;
  entry: string;
  splitting?: boolean;
}): string | null;
