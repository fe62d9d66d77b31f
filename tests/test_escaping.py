"""Issue 26 case 3: data-derived text never reaches Streamlit's markdown unescaped.

Streamlit renders as markdown the text of ``st.markdown``, ``caption``, ``info``,
``warning``, ``error``, ``success``, ``write``, headers, every widget's label and every
``help=``: an event label ``![x](http://evil.example/x.png)`` made every viewer's browser
fetch that URL. The scan below reads every module of ``pages/`` and ``app.py`` that imports
Streamlit and fails on any such argument that is not literal text, a French number or date
format, or passed through ``fmt.md``, unless it is in the reviewed ``REVIEWED`` list (each
with why it holds no data). The AppTest case shows a hostile event label rendered inert.
"""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
import streamlit as st

ROOT = Path(__file__).resolve().parents[1]

# Calls whose first argument Streamlit renders as markdown...
MARKDOWN = {
    "markdown", "caption", "info", "warning", "error", "success", "write", "toast", "title",
    "header", "subheader",
}  # fmt: skip
# ...and widgets whose first argument is a label, rendered as markdown too.
LABELLED = {
    "metric", "expander", "popover", "download_button", "button", "selectbox", "multiselect",
    "radio", "checkbox", "toggle", "text_input", "date_input", "slider", "select_slider",
    "segmented_control", "pills", "link_button", "page_link", "file_uploader",
    "number_input", "text_area", "tabs", "status", "form_submit_button",
}  # fmt: skip
KEYWORDS = {"help", "label", "body"}
# Calls whose result is safe: the escape itself, French numbers and dates (digits, spaces,
# commas, « % », « € »), and helpers that escape their own text (``event_caption``,
# ``kpi_help``).
SAFE_CALLS = {
    "md", "number", "percent", "euros", "day", "days", "month", "seconds", "by_unit",
    "change", "judged", "badge", "len", "int", "event_caption", "kpi_help",
}  # fmt: skip

# Reviewed: (file, argument as written) -> why no data reaches markdown through it.
REVIEWED = {
    ("pages/auth.py", "f'Connecté : {md(access.user)} — rôle {md(access.label)} ({scope})'"):
        "scope is md() of the agencies, two lines above",
    ("pages/auth.py", "f'Accès local sans connexion : rôle {md(access.label)} ({scope})'"):
        "scope is md() of the agencies",
    ("pages/demo.py", "label"): "a literal two lines above",
    ("pages/filters.py", "st.session_state['_end_note']"):
        "set by filters.py from fmt.day() dates and literals",
    ("pages/views/agences.py", 'f"L\'axe ne commence pas à zéro : il va de {fmt.text(domain[0], unit)} à {fmt.text(domain[1], unit)}." + (" Trait pointillé : l\'ensemble des agences, comme dans la dernière ligne du tableau." if whole is not None else \'\')'):
        "an axis's numeric bounds, written as numbers",
    ("pages/views/appels.py", "label"): "the tile's label, from the literal list of tiles",
    ("pages/views/demandes.py", "label"): "the tile's label, from the literal list of tiles",
    ("pages/views/glossaire.py", "theme"): "a key of THEMES, literals",
    ("pages/views/glossaire.py", "k.label"): "the KPI catalogue's label (code, no data)",
    ("pages/views/glossaire.py", "' · '.join(details)"):
        "each part escaped as it is built; the id in backticks on purpose",
    ("pages/views/importer.py", "f'Appels présentés par heure (heure de Paris) : {hours}.'"):
        "hours and counts written by fmt.number",
    ("pages/views/satisfaction.py", "caption"): "a literal of the loop's tuple",
    ("pages/views/synthese.py", 'f\'{cut}({days(compared.business_now)}), comparé {same} un an plus tôt : du {fmt.day(then.start)} au {fmt.day(then.end)} ({days(compared.business_before)}).\' + (UNEVEN if uneven else \'\')'):
        "cut and same: literals and fmt.day dates; UNEVEN: literals and « plus »/« moins »",
    ("pages/views/synthese.py", "label(kpi_id)"): "the catalogue's label of a KPI id (no data)",
    ("pages/views/motifs.py", "label"): "the tile's label, from the literal list of tiles",
    ("pages/views/synthese.py", "f':red-badge[alerte] {fmt.md(a.message)}, depuis le {since}'"):
        "since is fmt.day() of the alert's date, a line above; the badge on purpose",
    ("pages/views/synthese.py", "badge"): "fmt.badge(): a fixed badge, markdown on purpose",
    ("pages/views/synthese.py", "reference"):
        "per_dwelling()'s numbers or the catalogue's reference (code, no data)",
    ("pages/widgets.py", "message"): "widgets.empty(): every caller passes literal text",
}  # fmt: skip


def _safe(node: ast.expr) -> bool:
    """Literal text, a French number or date, an escaped value, or made only of those."""
    if isinstance(node, ast.Constant | ast.Compare):
        return True
    if isinstance(node, ast.Name):
        return node.id.isupper()  # a module's constant
    if isinstance(node, ast.Attribute):
        return node.attr.isupper()  # another module's (fmt.EMPTY)
    if isinstance(node, ast.Subscript):
        return _safe(node.value)  # an entry of a constant (GRAIN_WORDS[grain])
    if isinstance(node, ast.JoinedStr):
        return all(
            not isinstance(v, ast.FormattedValue)
            or _safe(v.value)
            or (v.format_spec is not None and "%" in ast.unparse(v.format_spec))  # a date
            for v in node.values
        )
    if isinstance(node, ast.BinOp):
        return _safe(node.left) and _safe(node.right)
    if isinstance(node, ast.IfExp):
        return _safe(node.body) and _safe(node.orelse)
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name == "join" and isinstance(func, ast.Attribute):
            return _safe(func.value) and all(_safe(a) for a in node.args)
        return name in SAFE_CALLS
    if isinstance(node, ast.GeneratorExp | ast.ListComp):
        return _safe(node.elt)
    return False


def rendered_arguments() -> list[tuple[str, int, str, ast.expr]]:
    """(file, line, call, argument) of every argument Streamlit renders as markdown."""
    found = []
    for path in [ROOT / "app.py", *sorted((ROOT / "pages").rglob("*.py"))]:
        source = path.read_text(encoding="utf-8")
        if "import streamlit" not in source:
            continue  # pages/worker.py writes to a pipe, not to a page
        for node in ast.walk(ast.parse(source)):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            args = node.args[:1] if node.func.attr in MARKDOWN | LABELLED else []
            args += [k.value for k in node.keywords if k.arg in KEYWORDS]
            name = str(path.relative_to(ROOT))
            found += [(name, node.lineno, node.func.attr, a) for a in args]
    return found


def test_every_markdown_argument_fed_with_data_is_escaped():
    arguments = rendered_arguments()
    assert len(arguments) > 150  # the scan sees the pages
    unescaped = [
        f"{name}:{line}: st.{call}({ast.unparse(arg)})"
        for name, line, call, arg in arguments
        if not _safe(arg) and (name, ast.unparse(arg)) not in REVIEWED
    ]
    assert unescaped == [], "\n".join(unescaped)


def test_every_reviewed_argument_is_still_there():
    """An entry of ``REVIEWED`` whose call changed or went away is removed."""
    present = {(name, ast.unparse(arg)) for name, _, _, arg in rendered_arguments()}
    assert set(REVIEWED) <= present, set(REVIEWED) - present


def test_the_escape_keeps_text_and_disarms_markdown_and_html():
    from pages.fmt import md

    hostile = "![x](http://evil.example/x.png) <img src=http://evil.example/y.png> **gras**"
    escaped = md(hostile)
    assert "![" not in escaped and "](" not in escaped and "**" not in escaped
    assert escaped.count("<") == escaped.count("\\<") == 1  # an escaped « < » is text
    assert escaped.replace("\\", "") == hostile


HOSTILE = "Avis ![x](http://evil.example/x.png) <img src=http://evil.example/y.png>"


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    from loaders.pipeline import import_file
    from tests.util import write_export
    from tests.warehouse.kpi_dataset import build_warehouse
    from warehouse.engine import make_engine

    folder = tmp_path_factory.mktemp("hostile")
    url = build_warehouse(folder)
    engine = make_engine(url)
    event = {"debut": "03/03/2025", "fin": "07/03/2025", "libelle": HOSTILE, "type": "autre"}
    report = import_file(engine, write_export(folder / "evenements.csv", [event]))
    assert report.status == "loaded" and report.rows_loaded == 1, report
    engine.dispose()
    return url


@pytest.mark.parametrize(
    ("page", "params"),
    [("synthese", {}), ("appels", {"granularite": "month"}), ("canaux", {"evolution": "month"})],
)
def test_a_hostile_event_label_is_shown_as_text(hostile_url, monkeypatch, page, params):
    """The label's image link and HTML tag reach the caption escaped: rendered (CommonMark,
    HTML allowed, stricter than Streamlit's) it is the label's text, with no image and no
    tag, so no viewer's browser fetches evil.example."""
    from markdown_it import MarkdownIt

    from tests.test_app import _open

    monkeypatch.setenv("WAREHOUSE_URL", hostile_url)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = _open(
        page,
        {"f_period": "custom", "f_start": date(2025, 3, 1), "f_end": date(2025, 4, 30)},
        **params,
    )
    captions = [c.value for c in at.caption if "Événements" in c.value]
    assert len(captions) == 1, [c.value for c in at.caption]
    html = MarkdownIt("commonmark").render(captions[0])
    assert "<img" not in html and "evil.example/x.png)" in html
    assert "&lt;img src=http://evil.example/y.png&gt;" in html
