// Bundles the three PIMS replica apps with esbuild into tests/replicas/dist/ (served by tests/replicas/server.py).
// TinyMCE is self-hosted: its skins, icons, models and themes are copied next to the bundles.
import { cp, mkdir, rename, rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";
import * as esbuild from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const dist = path.join(here, "dist");

// [source entry, output name inside dist/]
const ENTRIES = [
  ["ezyvet/main.js", "ezyvet/main"],
  ["pulse/main.jsx", "pulse/main"],
  ["shepherd/main.jsx", "shepherd/main"],
  ["shepherd/discharge-frame.js", "shepherd/discharge-frame"],
];
const PAGES = ["ezyvet/index.html", "pulse/index.html", "shepherd/index.html", "shepherd/discharge-frame.html"];
const TINYMCE_PARTS = ["tinymce.min.js", "skins", "icons", "models", "themes", "plugins/lists"];

/** Build every replica bundle and copy the static pages and TinyMCE assets. */
export async function build() {
  // Build beside dist/ and swap it in at the end, so a replica server that is serving dist/ (another test run)
  // never sees a half-built tree.
  const staging = `${dist}.build-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  await bundle(staging);
  const old = `${dist}.old-${process.pid}`;
  await rename(dist, old).catch(() => {});
  await rename(staging, dist);
  await rm(old, { recursive: true, force: true });
}

async function bundle(outdir) {
  await esbuild.build({
    entryPoints: Object.fromEntries(ENTRIES.map(([src, out]) => [out, path.join(here, src)])),
    outdir,
    bundle: true,
    format: "iife",
    target: "chrome120",
    jsx: "automatic",
    loader: { ".css": "css", ".svg": "text" },
    define: { "process.env.NODE_ENV": '"production"' },
    minify: true,
    sourcemap: false,
    legalComments: "none",
    logLevel: "warning",
  });
  for (const page of PAGES) await cp(path.join(here, page), path.join(outdir, page));
  for (const part of TINYMCE_PARTS) {
    await cp(path.join(root, "node_modules/tinymce", part), path.join(outdir, "tinymce", part), { recursive: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await build();
  console.log(`replicas built into ${path.relative(root, dist)}`);
}
