"""What a page draws, read in the browser: each chart's marks and their sizes, and axe-core's
WCAG 2.1 A and AA violations.

AppTest runs the page scripts but never draws a chart: a heatmap squashed to a few pixels,
a bar of no height or a series in the legend and nowhere else passes every AppTest. These
read the SVG that Vega drew in Chromium, as a user sees it.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Streamlit has run the page's script and Vega has drawn every chart of it. Streamlit says
# « notRunning » before its chart component is loaded: each chart is followed by its
# « Données du graphique » expander, drawn at once, which tells how many charts to wait for.
SETTLED = """() => {
  const app = document.querySelector('[data-test-script-state]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!document.querySelector('h1')) return false;
  const tables = [...document.querySelectorAll("[data-testid='stExpander'] summary")]
    .filter(s => s.textContent.includes('Données du graphique')).length;
  const charts = [...document.querySelectorAll("[data-testid='stVegaLiteChart']")];
  return charts.length >= tables && charts.every(c => c.querySelector('svg.marks g.role-frame'));
}"""
TABLES = """() => [...document.querySelectorAll("[data-testid='stExpander'] summary")]
  .filter(s => s.textContent.includes('Données du graphique')).length"""

# For each chart: its accessible name and what is wrong with what it drew.
CHARTS = r"""() => [...document.querySelectorAll("[data-testid='stVegaLiteChart']")].map((chart, index) => {
  const problems = [];
  const name = (chart.getAttribute('aria-label') || '').trim();
  if (!name) problems.push('no description (aria-label of the chart)');
  const svg = chart.querySelector('svg.marks');
  if (!svg) return {index, name, problems: ['no SVG'], marks: 0};
  const box = (e) => e.getBoundingClientRect();
  const shown = (e) => {
    for (let n = e; n && n !== svg; n = n.parentElement) {
      const style = getComputedStyle(n);
      if (style.opacity === '0' || style.visibility === 'hidden' || style.display === 'none') return false;
      if ((n.getAttribute('opacity') || '1') === '0') return false;
    }
    return true;
  };
  if (box(svg).width > box(chart).width + 1) problems.push(`wider than its place (${box(svg).width} > ${box(chart).width})`);
  // No text cut at the chart's edges (a legend wider than a phone).
  const edge = box(svg);
  for (const text of svg.querySelectorAll('text')) {
    const r = box(text);
    if (!shown(text) || !text.textContent.trim()) continue;
    if (r.left < edge.left - 4 || r.right > edge.right + 4 || r.top < edge.top - 4 || r.bottom > edge.bottom + 4) {
      problems.push(`« ${text.textContent} » cut at the chart's edge (${Math.round(r.left - edge.left)},${Math.round(edge.right - r.right)},${Math.round(r.top - edge.top)},${Math.round(edge.bottom - r.bottom)})`); break;
    }
  }
  // The plot: the root group's background, axes and legends outside it.
  const plot = svg.querySelector('g.role-frame.root > g > path.background');
  const p = plot ? box(plot) : {width: 0, height: 0};
  if (p.width < 40 || p.height < 40) problems.push(`plot of ${Math.round(p.width)}x${Math.round(p.height)} px`);
  // Data marks: rectangles, symbols, arcs have some item of visible size; rules a length.
  const labels = [];
  let marks = 0;
  for (const group of svg.querySelectorAll('g.role-mark')) {
    const kind = [...group.classList].find(c => c.startsWith('mark-'));
    const items = [...group.children];
    if (!items.length || kind === 'mark-text' || kind === 'mark-group') continue;
    const sizes = items.map(box);
    if (['mark-rect', 'mark-symbol', 'mark-arc', 'mark-area'].includes(kind)) {
      const drawn = items.filter((e, i) => sizes[i].width >= 1 && sizes[i].height >= 1 && shown(e));
      if (!drawn.length) problems.push(`${kind}: none of ${items.length} items has a visible size`);
      const left = Math.min(...sizes.map(s => s.left)), right = Math.max(...sizes.map(s => s.right));
      const top = Math.min(...sizes.map(s => s.top)), bottom = Math.max(...sizes.map(s => s.bottom));
      if (right - left < 4 || bottom - top < 4) problems.push(`${kind}: drawn in ${Math.round(right - left)}x${Math.round(bottom - top)} px`);
      marks += drawn.length;
      labels.push(...drawn.map(e => e.getAttribute('aria-label') || ''));
    } else if (kind === 'mark-rule') {
      if (!sizes.some(s => Math.max(s.width, s.height) >= 2)) problems.push('mark-rule: no line drawn');
      labels.push(...items.map(e => e.getAttribute('aria-label') || ''));
    }
  }
  if (!marks) problems.push('no data mark drawn');
  // Each mark a screen reader meets is named in French (« Mois : mars 2025 ; Appels : 7 »);
  // Vega's own names are English and raw (« Appels: 17644; série: Présentés »).
  for (const item of svg.querySelectorAll('[role="graphics-symbol"]')) {
    if (item.closest('[aria-hidden="true"]')) continue;
    const label = item.getAttribute('aria-label') || '';
    if (!label.includes(' : ')) { problems.push(`a mark named « ${label} »`); break; }
  }
  // What the legend lists is drawn: each entry names some visible mark.
  for (const text of svg.querySelectorAll('g.role-legend-label text')) {
    if (text.closest('g.role-legend').querySelector('.role-legend-gradient')) continue;  // a scale
    const entry = text.textContent.trim();
    if (entry && shown(text) && !labels.some(l => l.includes(entry))) problems.push(`legend « ${entry} » drawn nowhere`);
  }
  // Axis labels do not overlap (upright or vertical ones; slanted ones overlap by their boxes).
  for (const axis of svg.querySelectorAll('g.role-axis')) {
    const texts = [...axis.querySelectorAll('g.role-axis-label text')].filter(t => shown(t) && t.textContent.trim()
      && !/rotate\((-?45|-?30|-?60)/.test(t.getAttribute('transform') || ''));
    const r = texts.map(box);
    for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++) {
      const overlap = Math.min(r[i].right, r[j].right) - Math.max(r[i].left, r[j].left) > 1
        && Math.min(r[i].bottom, r[j].bottom) - Math.max(r[i].top, r[j].top) > 1;
      if (overlap) { problems.push(`axis labels « ${texts[i].textContent} » and « ${texts[j].textContent} » overlap`); i = r.length; break; }
    }
  }
  // A band axis names each band once, under its marks: a time axis that repeated
  // « nov. 2026 » under every tick, or set October's point above « sept. 2025 », fails.
  const named = [...svg.querySelectorAll('[role="graphics-symbol"][aria-label]')]
    .filter(e => !e.closest('[aria-hidden="true"]'));
  for (const axis of svg.querySelectorAll('g.role-axis')) {
    const title = (axis.querySelector('g.role-axis-title text') || {}).textContent || '';
    const texts = [...axis.querySelectorAll('g.role-axis-label text')].filter(t => shown(t) && t.textContent.trim());
    const words = texts.map(t => t.textContent.trim());
    const twice = words.find((w, i) => words.indexOf(w) !== i);
    if (twice) problems.push(`axis label « ${twice} » repeated`);
    if (!title || texts.length < 2) continue;
    const r = texts.map(box);
    const across = Math.abs(r[r.length - 1].left - r[0].left) > Math.abs(r[r.length - 1].top - r[0].top);
    for (const mark of named) {
      const m = /^([^:;]+) : ([^;]+)/.exec(mark.getAttribute('aria-label'));
      if (!m || m[1] !== title) continue;
      const at = words.indexOf(m[2].trim());
      if (at < 0) continue;  // a label the axis left out
      const b = box(mark), l = r[at];
      const centre = across ? (b.left + b.right) / 2 : (b.top + b.bottom) / 2;
      const [low, high] = across ? [l.left, l.right] : [l.top, l.bottom];
      if (centre < low - 3 || centre > high + 3) {
        problems.push(`« ${mark.getAttribute('aria-label')} » not above its label`); break;
      }
    }
  }
  return {index, name, problems, marks};
})"""


def settle(page: Page, charts: int = 0, timeout: float = 60_000) -> None:
    """Wait until the page's script has run and every chart is drawn (``charts`` of them
    at least)."""
    page.wait_for_function(
        f"() => ({SETTLED})() && document.querySelectorAll(\"[data-testid='stVegaLiteChart']\").length >= {charts}",
        timeout=timeout,
    )


def charts(page: Page) -> list[dict]:
    """Each chart of the page: ``name`` (its accessible name), ``marks`` (visible data marks)
    and ``problems`` (empty when everything it promises is drawn)."""
    return page.evaluate(CHARTS)


def axe_violations(page: Page, exclude: list | None = None) -> dict[str, list[str]]:
    """axe-core's WCAG 2.1 A and AA violations of the page: rule id -> the elements'
    HTML (cut), outside the ``exclude`` selectors."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    context = {"include": [["body"]], "exclude": exclude or []}
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    result = page.evaluate("([c, o]) => axe.run(c, o)", [context, options])
    return {
        v["id"]: [
            f"{n['target']} {n['html'][:160]} {n.get('failureSummary', '')[:200]}"
            for n in v["nodes"]
        ]
        for v in result["violations"]
    }
