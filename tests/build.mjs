// Builds every browser bundle the tests need (replica apps, editor lab pages) with esbuild.
// Each area lists its own build in tests/<area>/build.mjs exporting `build()`; this file runs them all.
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
// order does not matter; a missing area is skipped so areas can land independently
const AREAS = ["replicas", "fill", "dashboard"];

for (const area of AREAS) {
  const script = path.join(here, area, "build.mjs");
  if (!existsSync(script)) continue;
  const mod = await import(pathToFileURL(script).href);
  await mod.build();
  console.log(`built ${area}`);
}
