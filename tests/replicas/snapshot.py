"""Save rendered replica pages as standalone HTML, the way an admin saves a page from their own tenant, for
`vetscribe selectors check` / `scrub` tests and demos:

    python -m tests.replicas.snapshot OUT_DIR

One file per shipped map page kind, plain and drift: <map>-<page kind>[-drift].html. Open shadow roots are kept
as declarative shadow DOM (<template shadowrootmode="open">); iframe contents are not inlined (as with a browser's
"Save page"), so a field inside an iframe shows as missing in a saved page.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tests.replicas.helpers import CHROMIUM, chromium_args, open_replica
from tests.replicas.server import ReplicaServer

# (map id, replica, path, page kind, what to do before saving)
PAGES = [
    ("ezyvet", "ezyvet", "/patient/10231", "animal_record", "add_history"),
    ("covetrus-pulse", "pulse", "/patients/p-501/visit", "visit", None),
    ("shepherd", "shepherd", "/patients/sh-72/chart", "chart", None),
    ("shepherd", "shepherd", "/patients/sh-72/discharge", "discharge", None),
]

SERIALIZE = """() => {
    const roots = [];
    for (const el of document.querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
    return '<!doctype html>\\n' + document.documentElement.getHTML({serializableShadowRoots: true, shadowRoots: roots});
}"""


def open_history_popup(page) -> None:
    """ezyVet: the history textarea only exists once Add History has been clicked."""
    page.get_by_role("button", name="Add History").click()
    page.wait_for_function("window.__replica.read('note') !== null")


def save_snapshots(out_dir: Path, server: ReplicaServer, browser) -> list[Path]:
    """Render every replica page (plain and drift) in `browser` and write its HTML into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for map_id, pims, path, kind, before in PAGES:
        for drift in (False, True):
            context = browser.new_context()
            page = context.new_page()
            open_replica(page, server, pims, path, drift=drift)
            if before == "add_history":
                open_history_popup(page)
            target = out_dir / f"{map_id}-{kind}{'-drift' if drift else ''}.html"
            target.write_text(page.evaluate(SERIALIZE), encoding="utf-8")
            written.append(target)
            context.close()
    return written


def main() -> None:
    """Command line: write the snapshots into the given directory."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", type=Path)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    server = ReplicaServer().start()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=chromium_args())
            for path in save_snapshots(args.out_dir, server, browser):
                print(path)
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
