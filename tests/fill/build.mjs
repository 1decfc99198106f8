// Builds the fill engine's "editor lab" pages (one per editor family, real npm editors) into tests/fill/dist/.
import { mkdir, rm, writeFile, copyFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";
import * as esbuild from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, "dist");
const LABS = ["ckeditor5", "tinymce", "quill", "lexical", "tiptap", "react"];

function page(name) {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>fill lab: ${name}</title></head>
<body><h1>${name} lab</h1><div id="app"></div><script src="tt-policy.js"></script><script src="${name}.js"></script></body></html>
`;
}

/** Bundle every lab entry and write its page (plus the static plain page). */
export async function build() {
  await rm(dist, { recursive: true, force: true });
  await mkdir(dist, { recursive: true });
  await esbuild.build({
    entryPoints: Object.fromEntries(LABS.map((n) => [n, path.join(here, "lab", `${n}.${n === "react" ? "jsx" : "js"}`)])),
    outdir: dist,
    bundle: true,
    format: "iife",
    target: "chrome120",
    jsx: "automatic",
    loader: { ".css": "empty" },
    define: { "process.env.NODE_ENV": '"production"' },
    legalComments: "none",
    logLevel: "warning",
  });
  for (const name of LABS) await writeFile(path.join(dist, `${name}.html`), page(name));
  for (const file of ["plain.html", "tt-policy.js"]) await copyFile(path.join(here, "lab", file), path.join(dist, file));
}

if (import.meta.url === `file://${process.argv[1]}`) await build();
