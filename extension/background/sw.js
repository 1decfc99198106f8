/* Chromium service-worker entry: loads the background modules in order (Firefox lists the same files in
   manifest background.scripts, so this file is the only Chromium-specific piece). */
importScripts(
  "state.js",
  "client.js",
  "outbox.js",
  "maps.js",
  "inject.js",
  "handlers.js",
  "main.js",
);
