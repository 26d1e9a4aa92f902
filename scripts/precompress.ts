/**
 * Part of `npm run build` (and so of `npm start`, `npm test` and `npm run bench`), after `remix build`:
 * a brotli and a gzip copy of every script and stylesheet in public/build (server/precompress.ts).
 */
import { precompressAssets } from "../server/precompress";

const started = Date.now();
const written = await precompressAssets("public/build");
console.log(`Precompressed public/build: ${written} files written in ${Date.now() - started} ms.`);
