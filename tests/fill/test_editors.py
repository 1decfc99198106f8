"""Rich-editor writers against the real CKEditor 5, TinyMCE, Quill 2, Lexical and TipTap builds."""

from __future__ import annotations

import pytest

from .conftest import LABS, WRITE_JS

pytestmark = pytest.mark.browser

API_WRITER = {"ckeditor5": "ckeditor5", "tinymce": "tinymce", "quill": "quill", "lexical": "lexical", "tiptap": "prosemirror"}
NOTE = "Bright, alert and responsive.\n\nHR 120 bpm, RR 24.\nLungs clear on both sides."
# Hostile transcript corpus: each line tries to become live markup or script; the tripwire global must stay unset.
HOSTILE_LINES = [
    "<img src=x onerror=\"window.__tripwire='img'\">",
    "<script>window.__tripwire='script'</script>",
    "<svg onload=\"window.__tripwire='svg'\"><animate onbegin=\"window.__tripwire='anim'\"/></svg>",
    "<a href=\"javascript:window.__tripwire='js'\">open chart</a>",
    "<math><mtext><table><mglyph><style><img src=x onerror=\"window.__tripwire='math'\">",
    "<style>*{background:url(\"javascript:window.__tripwire='css'\")}</style>",
    "<iframe srcdoc=\"<script>parent.__tripwire='srcdoc'</script>\"></iframe>",
    "{{constructor.constructor('window.__tripwire=\"tpl\"')()}} & &lt;b&gt; stays literal",
    "Meloxicam\u200b 1.5\u202emg/mL\u200f \u2066isolate\u2069 RTL and zero-width",
]
HOSTILE = "\n".join(HOSTILE_LINES)
MARKUP = ("<img", "<script", "<svg", "<a ", "<math", "<style", "<iframe")


def write(page, text, **opts):
    return page.evaluate(WRITE_JS, [text, opts])


def read(page):
    return page.evaluate("window.__lab.read()")


def seed(page, name, text):
    """Put clinician text into the editor through its own API (HTML for the HTML-native editors)."""
    value = text if name == "lexical" or not text else "".join(f"<p>{line}</p>" for line in text.split("\n"))
    page.evaluate("(v) => window.__lab.seed(v)", value)
    assert read(page)["text"] == text


@pytest.fixture
def editor(shared_lab):
    """An editor lab page shared by the module, emptied through the editor's own API: editor(name) -> page."""
    def get(name):
        page = shared_lab(name)
        seed(page, name, "")
        return page
    return get


@pytest.mark.parametrize("name", LABS)
def test_replace_writes_multi_paragraph_text_through_editor_api(editor, name):
    page = editor(name)
    result = write(page, NOTE)
    assert result["outcome"] == "written", result
    assert result["writer"] == API_WRITER[name]
    assert read(page)["text"] == NOTE
    assert result["after"] == NOTE


@pytest.mark.parametrize("name", LABS)
def test_append_keeps_existing_text_and_adds_separator(editor, name):
    page = editor(name)
    seed(page, name, "Existing vet note")
    result = write(page, "Plan: recheck in 2 weeks.", mode="append")
    assert result["outcome"] == "appended", result
    assert result["before"] == "Existing vet note"
    assert read(page)["text"] == "Existing vet note\n\nPlan: recheck in 2 weeks."


@pytest.mark.parametrize("name", LABS)
def test_ask_refuses_to_touch_a_field_that_holds_text(editor, name):
    page = editor(name)
    seed(page, name, "Vet typed this")
    result = write(page, "Draft", mode="ask")
    assert result["outcome"] == "needs_confirmation"
    assert read(page)["text"] == "Vet typed this"


@pytest.mark.parametrize("name", LABS)
def test_restore_brings_back_previous_content(editor, name):
    page = editor(name)
    seed(page, name, "Old line one\nOld line two")
    result = write(page, NOTE)
    assert result["outcome"] == "written"
    restored = page.evaluate("(r) => VetScribe.fill.restoreField(window.__lab.target(), r)", result["restore"])
    assert restored["outcome"] == "restored", restored
    assert read(page)["text"] == "Old line one\nOld line two"


@pytest.mark.parametrize("fmt", ["plain", "html"])
@pytest.mark.parametrize("name", LABS)
def test_hostile_text_stays_inert_text(editor, name, fmt):
    page = editor(name)
    result = write(page, HOSTILE, format=fmt)
    assert result["outcome"] == "written", result
    got = read(page)
    assert got["text"] == HOSTILE
    assert not [tag for tag in MARKUP if tag in got["html"]], got["html"]
    page.wait_for_timeout(50)  # give an injected onerror/onload its chance to fire
    assert page.evaluate("window.__tripwire") is None
    frames_with_payload = page.evaluate(
        """() => [document, ...[...document.querySelectorAll('iframe')].map((f) => f.contentDocument)]
             .filter((d) => d && (d.querySelector('img[src="x"], svg[onload], a[href^="javascript"], iframe[srcdoc*="__tripwire"], math')
               || [...d.scripts].some((s) => s.text.includes('__tripwire')))).length"""
    )
    assert frames_with_payload == 0


@pytest.mark.parametrize("name", LABS)
def test_a_writer_that_throws_falls_through_to_the_next(lab, name):
    page = lab(name)
    page.evaluate("window.__lab.breakApi()")
    result = write(page, NOTE)
    first = result["detail"]["attempts"][0]
    assert first["writer"] == API_WRITER[name] and "broken editor" in first.get("error", "")
    assert result["outcome"] == "written", result
    assert result["writer"] in ("beforeinput", "paste", "exec-command")
    assert read(page)["text"] == NOTE


def test_quill_without_a_page_global_falls_back_to_paste(lab):
    page = lab("quill")
    page.evaluate("window.__lab.hideGlobal()")
    result = write(page, NOTE)
    assert result["outcome"] == "written", result
    assert result["writer"] != "quill"
    assert read(page)["text"] == NOTE


@pytest.mark.parametrize("name", ["lexical", "tiptap"])  # the two cheapest; the big editors take seconds each
def test_one_megabyte_line_lands_whole(editor, name):
    page = editor(name)
    result = page.evaluate(
        """async () => { const text = 'A'.repeat(1 << 20) + '<b>end</b>';
           const r = await VetScribe.fill.writeField(window.__lab.target(), text);
           const got = window.__lab.read().text;
           return {outcome: r.outcome, same: got === text, length: got.length}; }"""
    )
    assert result == {"outcome": "written", "same": True, "length": (1 << 20) + 10}


@pytest.mark.parametrize("where", ["source textarea", "iframe body"])
def test_tinymce_fills_from_its_source_textarea_or_its_iframe_body(editor, where):
    page = editor("tinymce")
    handle = page.evaluate_handle(
        "(w) => w === 'source textarea' ? document.querySelector('#notes') : window.__lab.target().contentDocument.body", where
    )
    result = page.evaluate("([el, t]) => VetScribe.fill.writeField(el, t, {kind: 'textarea'})", [handle, NOTE])
    assert result["outcome"] == "written" and result["writer"] == "tinymce", result
    assert read(page)["text"] == NOTE


@pytest.mark.parametrize("name", ["ckeditor5", "tinymce", "quill", "tiptap"])
def test_append_keeps_the_existing_formatting(editor, name):
    page = editor(name)
    page.evaluate("(v) => window.__lab.seed(v)", "<p><strong>Bold finding</strong> noted</p>")
    result = write(page, "Plan: recheck.", mode="append")
    assert result["outcome"] == "appended", result
    got = read(page)
    assert got["text"] == "Bold finding noted\n\nPlan: recheck."
    assert "<strong>Bold finding</strong>" in got["html"].replace("&nbsp;", " ")  # Quill spells spaces &nbsp;
