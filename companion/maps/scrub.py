"""Scrub a saved PIMS page so it can be shared with maintainers: patient data out, locator hooks kept.

Kept: the element structure, ids, classes, names, types, roles, aria labels and references, label-for links, test
ids, placeholders, identifier-like data attributes, and UI captions (label/legend/th/dt/button/tab text without
digits, "Caption:" prefixes, and every text a map's locators look for). Everything else that can hold patient data
goes: text, input values, checked/selected states, titles, alt text, link targets, scripts, comments, event
handlers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag

from companion.maps.lint import all_locators
from companion.maps.schema import Locator, SelectorMap

REDACTED = "▒▒▒"
DROP_TAGS = {"script", "noscript", "object", "embed", "applet"}
# Attributes kept as they are: what locators and the page's layout rely on.
KEEP_ATTRS = {
    "id", "class", "name", "type", "role", "for", "placeholder", "aria-label", "aria-labelledby",
    "aria-describedby", "aria-controls", "aria-owns", "aria-hidden", "aria-expanded", "aria-modal", "aria-multiline",
    "contenteditable", "tabindex", "hidden", "disabled", "readonly", "multiple", "size", "rows", "cols", "style",
    "lang", "dir", "charset", "rel", "method", "colspan", "rowspan", "scope", "shadowrootmode", "list",
    "data-testid", "data-test-id", "data-test", "data-qa", "data-cy",
}
# Other attributes survive only if their value looks like an identifier, not free text.
IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z_:.-]{0,40}$")
BUTTON_TYPES = {"button", "submit", "reset"}
CAPTION_TAGS = {"label", "legend", "th", "dt", "button", "caption", "summary", "optgroup"}
CAPTION_ROLES = {"tab", "button", "menuitem", "columnheader", "rowheader"}
CAPTION_PREFIX = re.compile(r"^(\s*[A-Za-z][A-Za-z /()#&.'-]{0,40}:)\s*\S")
NO_DATA = re.compile(r"^[^\d@]{1,60}$")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(":* ").strip().lower()


def _locator_texts(locator: Locator) -> Iterable[str]:
    for key in ("label", "text_near", "accessible_name"):
        value = getattr(locator, key)
        if value:
            yield value
    if locator.within is not None:
        yield from _locator_texts(locator.within)


def map_captions(smap: SelectorMap) -> set[str]:
    """Every caption text the map's locators look for (these are UI words, safe to keep)."""
    return {_norm(text) for _, loc in all_locators(smap) for text in _locator_texts(loc)} - {""}


def _in_caption(node: NavigableString) -> bool:
    for depth, parent in enumerate(node.parents):
        if depth > 3 or parent is None or not isinstance(parent, Tag):
            return False
        if parent.name in CAPTION_TAGS or parent.get("role") in CAPTION_ROLES:
            return True
    return False


def _scrub_text(node: NavigableString, keep: set[str]) -> str | None:
    """The text to leave in place of `node` (None = leave it unchanged)."""
    text = str(node)
    if not text.strip():
        return None
    norm = _norm(text)
    if norm in keep:
        return None
    for word in keep:
        if word and word in norm:
            return f" {word} "  # a `contains`/`prefix` locator still matches; the rest of the text goes
    if _in_caption(node) and NO_DATA.match(text.strip()):
        return None
    prefix = CAPTION_PREFIX.match(text)
    if prefix and NO_DATA.match(prefix.group(1)):
        return f"{prefix.group(1)} {REDACTED}"
    if text.strip().endswith(":") and NO_DATA.match(text.strip()):
        return None
    return REDACTED


def _scrub_attrs(tag: Tag, keep: set[str]) -> None:
    for attr in list(tag.attrs):
        value = tag.attrs[attr]
        if attr in KEEP_ATTRS:
            continue
        if attr == "srcdoc":
            tag.attrs[attr] = scrub_html(str(value), keep_texts=keep)
            continue
        if attr == "href":
            tag.attrs[attr] = "#"  # keep the link a link (its role), drop where it pointed (ids in URLs)
            continue
        if attr == "value" and tag.name == "input" and str(tag.get("type", "")).lower() in BUTTON_TYPES:
            continue  # a button's caption, not data
        if attr.startswith("on") or attr in {"value", "checked", "selected", "title", "alt", "src",
                                             "srcset", "action", "content", "poster", "download"}:
            del tag.attrs[attr]
            continue
        text = " ".join(value) if isinstance(value, list) else str(value)
        if not (text == "" or IDENTIFIER.match(text)):
            del tag.attrs[attr]


def _scrub_tree(soup: BeautifulSoup, keep: set[str]) -> None:
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all("meta"):
        if not tag.has_attr("charset") and tag.get("name") != "viewport":
            tag.decompose()
    for node in soup.find_all(string=True):
        if isinstance(node, Doctype):
            continue
        if isinstance(node, Comment):
            node.extract()
            continue
        if node.parent is not None and node.parent.name == "style":
            continue
        replacement = _scrub_text(node, keep)
        if replacement is not None:
            node.replace_with(NavigableString(replacement))
    for tag in soup.find_all(True):
        _scrub_attrs(tag, keep)


def scrub_html(html: str, *, keep_texts: Iterable[str] = (), selector_map: SelectorMap | None = None) -> str:
    """Return `html` with patient data removed; `selector_map` adds the captions its locators need."""
    keep = {_norm(t) for t in keep_texts} - {""}
    if selector_map is not None:
        keep |= map_captions(selector_map)
    soup = BeautifulSoup(html, "lxml")
    _scrub_tree(soup, keep)
    return str(soup)
