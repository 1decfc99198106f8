"""Turn the HTML fragments the resolver collected into text: one value, or a list of items."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

_CAPTION = re.compile(r"^\s*[A-Za-z][A-Za-z ./()#&'-]{0,30}:\s*")
_LIST_HEADER = re.compile(
    r"^\s*(current |active )?(medications?|meds|drugs|prescriptions|problems?( list)?|diagnos[ie]s|conditions|"
    r"allerg(y|ies)( ?/ ?alerts?)?|alerts?|warnings?)\s*:\s*",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:\n|;|\u2022|•)\s*")
_NONE_WORDS = {"none", "nil", "n/a", "na", "-", "--", "nka", "nkda", "no known allergies", "none known",
               "no known drug allergies", "no current medications", "no problems"}


def _soup(fragment: str) -> BeautifulSoup:
    return BeautifulSoup(fragment or "", "lxml")


def _control_text(el: Tag) -> str | None:
    if el.name == "input":
        return el.get("value") or ""
    if el.name == "textarea":
        return el.get_text()
    if el.name == "select":
        chosen = el.find("option", selected=True) or el.find("option")
        return chosen.get_text(" ", strip=True) if chosen else ""
    return None


def fragment_text(fragment: str) -> str:
    """Visible text of one fragment (form controls give their value); scripts and styles ignored."""
    soup = _soup(fragment)
    for junk in soup.find_all(["script", "style", "template", "noscript"]):
        junk.decompose()
    body = soup.body or soup
    top = next((c for c in body.children if isinstance(c, Tag)), None)
    if top is not None:
        value = _control_text(top)
        if value is not None:
            return value.strip()
    for br in body.find_all("br"):
        br.replace_with("\n")
    text = body.get_text(" ", strip=False)
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def strip_caption(text: str) -> str:
    """Drop a leading caption such as 'Weight:' or 'Patient ID:' (a single value's own label)."""
    return _CAPTION.sub("", text, count=1).strip()


def _row_texts(soup: BeautifulSoup) -> list[str] | None:
    items = soup.find_all("li")
    if items:
        return [li.get_text(" ", strip=True) for li in items if not li.find("li")]
    rows = [tr for tr in soup.find_all("tr") if tr.find("td")]
    if rows:
        return [" ".join(td.get_text(" ", strip=True) for td in tr.find_all("td")) for tr in rows]
    return None


def fragment_items(fragment: str) -> list[str]:
    """A fragment as list items: <li>s, table rows, or lines / ';' separated parts of its text."""
    soup = _soup(fragment)
    for junk in soup.find_all(["script", "style", "template", "noscript", "th", "thead"]):
        junk.decompose()
    rows = _row_texts(soup)
    if rows is None:
        text = fragment_text(str(soup))
        rows = _SPLIT.split(_LIST_HEADER.sub("", text, count=1))
    items = [re.sub(r"\s+", " ", r).strip(" ,") for r in rows]
    return [i for i in items if i and i.lower().rstrip(".") not in _NONE_WORDS and not i.endswith(":")]
