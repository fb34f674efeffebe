"""The cleanup report as one self-contained HTML page: inline CSS, inline SVG bar charts, no script, no remote asset.

Every piece of document text (titles, owners, headings, terms) goes through ``html.escape``: titles can hold
``<`` and ``&``. The page is in bokmål, the procedure team's language; it prints sensibly (no hidden content).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence, Set

from index.records import OverlapRow, Report, ReportDoc, Tier

KIND_NAMES = {"full": "Full overlapp", "partial": "Delvis overlapp", "duplicate": "Lokal kopi",
              "local_only": "Bare lokal – behold"}
TIER_NAMES: dict[str, str] = {Tier.VAR: "VAR", Tier.REGIONAL: "Regional", Tier.LOCAL: "Lokal"}
STATUS_NAMES = {"active": "Aktiv", "stale": "Revisjon forfalt", "superseded": "Utgått"}
# Bar colours per group; the same hues as the app's badges so the two read alike.
COLOURS: dict[str, str] = {Tier.VAR: "#1b5e20", Tier.REGIONAL: "#0d47a1", Tier.LOCAL: "#6a1b9a", "full": "#b71c1c",
           "partial": "#e65100",
           "duplicate": "#37474f", "local_only": "#2e7d32", "active": "#1b5e20", "stale": "#f9a825",
           "superseded": "#b71c1c", "utfases": "#b71c1c", "lokalt_tillegg": "#0d47a1", "beholdes": "#2e7d32",
           "not_assessed": "#e65100"}
DEFAULT_COLOUR = "#455a64"
DECISION_NAMES = {"utfases": "Utfases", "lokalt_tillegg": "Lokalt tillegg", "beholdes": "Beholdes",
                  "not_assessed": "Ikke vurdert"}

CSS = """
body { font-family: system-ui, "Segoe UI", Arial, sans-serif; margin: 2em; color: #1a1a1a; max-width: 75em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { margin-top: 1.8em; border-bottom: 2px solid #ccc; }
.meta { color: #555; } .charts { display: flex; flex-wrap: wrap; gap: 2em; }
figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: 0.3em; }
table { border-collapse: collapse; width: 100%; font-size: 0.92em; margin-top: 0.5em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #eceff1; } tr:nth-child(even) td { background: #fafafa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.evidence { font-size: 0.9em; margin: 0.3em 0 0 0; }
table.evidence td, table.evidence th { padding: 0.15em 0.4em; }
.kind { display: inline-block; white-space: nowrap; padding: 0.1em 0.5em; border-radius: 0.8em; color: #fff;
        font-size: 0.85em; }
.kind-full { background: #b71c1c; } .kind-partial { background: #e65100; } .kind-duplicate { background: #37474f; }
.alt { color: #555; font-style: italic; } .id { color: #555; font-size: 0.85em; } .terms { color: #333; }
nav a { margin-right: 1em; }
"""


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


LABEL_CHARS = 34  # longer labels are shortened (the full text is in the label's tooltip)
CHAR_W = 7.2  # an upper bound of a 12px system-font character's width, so no label is clipped


def bar_chart(title: str, data: Sequence[tuple[str, int, str]], *, bars: int = 200) -> str:
    """A horizontal bar chart as inline SVG: ``data`` is (label, value, colour key). The label column is as
    wide as the longest (shortened) label, so no label is clipped."""
    bar_h, gap = 22, 6
    shorts = [label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…" for label, _, _ in data]
    label_w = int(max((len(t) for t in shorts), default=6) * CHAR_W) + 12
    width = label_w + bars + 48
    height = max(1, len(data)) * (bar_h + gap) + gap
    top = max((v for _, v, _ in data), default=0) or 1
    parts = [f'<svg width="{width}" height="{height}" role="img" aria-label="{esc(title)}">']
    for i, ((label, value, key), short) in enumerate(zip(data, shorts, strict=True)):
        y = gap + i * (bar_h + gap)
        w = int(bars * value / top)
        parts.append(f'<text x="{label_w - 6}" y="{y + bar_h * 0.7:.0f}" text-anchor="end" font-size="12">'
                     f'<title>{esc(label)}</title>{esc(short)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{max(w, 1)}" height="{bar_h}" '
                     f'fill="{COLOURS.get(key, DEFAULT_COLOUR)}"/>')
        parts.append(f'<text x="{label_w + max(w, 1) + 4}" y="{y + bar_h * 0.7:.0f}" font-size="12">{value}</text>')
    if not data:
        parts.append(f'<text x="0" y="16" font-size="12">{esc("(ingen)")}</text>')
    parts.append("</svg>")
    return f"<figure><figcaption>{esc(title)}</figcaption>{''.join(parts)}</figure>"


def line_chart(title: str, points: Sequence[dict], series: Sequence[tuple[str, str, str]], *,
               width: int = 560, height: int = 220) -> str:
    """A line chart as inline SVG: one line per (key, label, colour) over ``points`` (one dict per build)."""
    left, right, top, bottom = 40, 150, 10, 40
    if not points:
        return f"<figure><figcaption>{esc(title)}</figcaption><p>(ingen bygginger ennå)</p></figure>"
    peak = max(max(int(p.get(k, 0)) for k, _, _ in series) for p in points) or 1
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(1, len(points) - 1)

    def xy(i: int, v: int) -> str:
        return f"{left + i * step:.1f},{top + plot_h - plot_h * v / peak:.1f}"

    parts = [f'<svg width="{width}" height="{height}" role="img" aria-label="{esc(title)}">',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#999"/>',
             f'<text x="{left - 4}" y="{top + 10}" text-anchor="end" font-size="11">{peak}</text>',
             f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" font-size="11">0</text>',
             f'<text x="{left}" y="{height - 8}" font-size="11">{esc(points[0]["built_at"][:10])}</text>',
             (f'<text x="{left + plot_w}" y="{height - 8}" text-anchor="end" font-size="11">'
              f'{esc(points[-1]["built_at"][:10])}</text>')]
    for n, (key, label, colour) in enumerate(series):
        line = " ".join(xy(i, int(p.get(key, 0))) for i, p in enumerate(points))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{line}"/>')
        parts.append(f'<text x="{left + plot_w + 8}" y="{top + 14 + 16 * n}" font-size="12" fill="{colour}">'
                     f'{esc(label)} ({int(points[-1].get(key, 0))})</text>')
    parts.append("</svg>")
    return f"<figure><figcaption>{esc(title)}</figcaption>{''.join(parts)}</figure>"


def table(headers: Iterable[str], rows: Iterable[Iterable[str]], *, css: str = "", numeric: Set[int] = frozenset(),
          empty: str = "Ingen.") -> str:
    """Cells in ``rows`` are HTML already (escape before); ``numeric`` column indexes are right-aligned."""
    body = ["<tr>" + "".join(f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>"
                             for i, c in enumerate(row)) + "</tr>" for row in rows]
    if not body:
        return f"<p>{esc(empty)}</p>"
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def doc_cell(doc: ReportDoc) -> str:
    return f'{esc(doc.title)}<br/><span class="id">{esc(doc.doc_id)} · {esc(doc.owner_unit)}</span>'


def evidence(row: OverlapRow, other_label: str) -> str:
    o = row.overlap
    pairs = table(("Lokal seksjon", other_label, "Likhet"),
                  ([esc(s.heading), esc(s.other_heading), f"{s.similarity:.2f}"] for s in o.sections),
                  css="evidence", numeric={2}, empty="(ingen seksjonsvektorer)")
    terms = esc(", ".join(o.shared_terms)) or "–"
    return (f'<div class="terms">Felles nøkkelord: {terms}<br/>Tittellikhet {o.title:.2f} · '
            f'semantisk {o.semantic:.2f} · leksikalsk {o.lexical:.2f}</div>{pairs}')


def _kind(kind: str) -> str:
    return f'<span class="kind kind-{esc(kind)}">{esc(KIND_NAMES.get(kind, kind))}</span>'


def _alternatives(report: Report, row: OverlapRow) -> str:
    alts = report.alternatives.get(row.doc.doc_id, ())
    if not alts:
        return ""
    names = ", ".join(f"{esc(a.other.title)} ({esc(a.other.doc_id)})" for a in alts)
    return f'<br/><span class="alt">Ligner også: {names}</span>'


def render(report: Report) -> str:
    today = report.today
    counts = {(m, g): n for m, g, n in report.summary()}

    def series(measure: str, names: dict[str, str] | None = None) -> list[tuple[str, int, str]]:
        return [((names or {}).get(g, g), n, g) for (m, g), n in counts.items() if m == measure]

    charts = "".join((
        bar_chart("Dokumenter per kildenivå", series("documents_by_tier", TIER_NAMES)),
        bar_chart("Dokumenter per status", series("documents_by_status", STATUS_NAMES)),
        bar_chart("Overlapp per type", series("overlaps_by_kind", KIND_NAMES)),
        bar_chart("Revisjon forfalt per eier/enhet", series("stale_by_owner_unit")),
    ))
    progress = "".join((
        bar_chart("Beslutninger", series("decisions_by_kind", DECISION_NAMES)),
        bar_chart("Ikke vurdert per eier/enhet", series("not_assessed_by_owner_unit")),
        line_chart("Fremdrift per bygging", report.progress,
                   [("candidates", "Kandidater", "#455a64"), ("not_assessed", "Ikke vurdert", "#e65100"),
                    ("utfases", "Utfases", "#b71c1c"), ("lokalt_tillegg", "Lokalt tillegg", "#0d47a1"),
                    ("beholdes", "Beholdes", "#2e7d32")]),
    ))
    owners = table(("Eier / enhet", "Dokumenter", "Revisjon forfalt"),
                   ([esc(g), str(n), str(counts.get(("stale_by_owner_unit", g), 0))]
                    for (m, g), n in counts.items() if m == "documents_by_owner_unit"), numeric={1, 2})
    overlaps = table(("#", "Type", "Sikkerhet", "Lokalt dokument", "VAR-prosedyre", "Bevis"),
                     ([str(i), _kind(r.kind), f"{r.confidence:.0%}", doc_cell(r.doc),
                       doc_cell(r.other) + _alternatives(report, r), evidence(r, "VAR-seksjon")]
                      for i, r in enumerate(report.overlaps, 1)), css="overlaps", numeric={0, 2})
    duplicates = table(("Eldre kopi", "Revidert", "Kopi av (nyere)", "Revidert", "Sikkerhet", "Bevis"),
                       ([doc_cell(r.doc), esc(r.doc.revised or ""), doc_cell(r.other), esc(r.other.revised or ""),
                         f"{r.confidence:.0%}", evidence(r, "Seksjon i kopien")]
                        for r in report.duplicates),
                       css="duplicates", numeric={4})
    stale = table(("Dokument", "Kilde", "Revisjon forfalt", "Dager over"),
                  ([doc_cell(d), esc(TIER_NAMES.get(d.tier, d.tier)), esc(d.review_due),
                    str((today - d.review_due).days) if d.review_due else ""] for d in report.stale),
                  css="stale", numeric={3})  # (a stale document has a review date)
    superseded = table(("Dokument", "Revidert", "Erstattet av", "Erstatningen finnes"),
                       ([doc_cell(d), esc(d.revised or ""),
                         esc(report.title_of(d.replaced_by) or d.replaced_by or "–"),
                         "ja" if report.has(d.replaced_by) else "nei"] for d in report.superseded),
                       css="superseded")
    additions = table(("Lokalt dokument", "VAR-prosedyre", "Seksjoner VAR ikke dekker"),
                      ([doc_cell(r.doc), doc_cell(r.other), esc(" · ".join(r.overlap.additions))]
                       for r in report.overlaps if r.overlap.additions), css="additions")
    gaps = table(("#", "Søk uten nyttig treff", "Antall", "Sist sett", "Nærmeste VAR-prosedyrer"),
                 ([str(i), esc(g.query), str(g.count), esc(g.last_week), esc(" · ".join(t for _, t in near)) or "–"]
                  for i, (g, near) in enumerate(report.gaps, 1)), css="gaps", numeric={0, 2},
                 empty="Ingen innsamlede søkelogger (kildefinner-index report --gaps FIL …).")
    local_only = table(("Dokument", "Kilde", "Språk", "Neste revisjon"),
                       ([doc_cell(d), esc(TIER_NAMES.get(d.tier, d.tier)), esc(d.language), esc(d.review_due or "")]
                        for d in report.local_only), css="local-only")
    n_overlaps = len(report.overlaps)  # the chart's full + partial bars count the same rows
    return f"""<!DOCTYPE html>
<html lang="nb"><head><meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>Kildefinner – ryddingsrapport {esc(today)}</title>
<style>{CSS}</style></head>
<body>
<h1>Ryddingsrapport for prosedyrer</h1>
<p class="meta">Laget {esc(today)} fra indeksversjon {esc(report.snapshot)} (bygget {esc(report.built_at)}),
{len(report.documents)} dokumenter. «VAR AS IS»: lokale prosedyrer som dekker samme oppgave som en
VAR-prosedyre er kandidater for utfasing. Rapporten er bare en analyse; kildene er ikke endret.</p>
<nav><a href="#sammendrag">Sammendrag</a><a href="#fremdrift">Fremdrift</a>
<a href="#overlapp">Overlapp ({n_overlaps})</a>
<a href="#tillegg">Lokale tillegg</a><a href="#hull">Innholdshull ({len(report.gaps)})</a>
<a href="#kopier">Lokale kopier ({len(report.duplicates)})</a>
<a href="#forfalt">Revisjon forfalt ({len(report.stale)})</a>
<a href="#utgatt">Utgått ({len(report.superseded)})</a><a href="#behold">Bare lokal ({len(report.local_only)})</a></nav>
<h2 id="sammendrag">Sammendrag</h2>
<div class="charts">{charts}</div>
<h2 id="fremdrift">Beslutninger og fremdrift</h2>
<p>Teamets beslutninger fra beslutningsfilen ved kildene (gjelder fra bygging), og utviklingen over byggingene.</p>
<div class="charts">{progress}</div>
<h3>Per eier og enhet</h3>
{owners}
<h2 id="overlapp">Overlapp med VAR – kandidater for utfasing</h2>
<p>Én rad per dokument, sortert etter sikkerhet. «Sikkerhet» er 0–100 %: anslått sjanse for at overlappet
holder (50 % ved beslutningsgrensen; se docs/report.md). «Ligner også» er andre VAR-prosedyrer som ligner,
verdt et blikk.</p>
{overlaps}
<h2 id="tillegg">Hva de lokale prosedyrene tilfører</h2>
<p>Seksjoner i et overlappende lokalt dokument som ikke har et motstykke i VAR-prosedyren: innholdet et
«Lokalt tillegg» kan beholde. Alt annet dekker VAR.</p>
{additions}
<h2 id="hull">Innholdshull: søk som ikke fant noe nyttig</h2>
<p>Samlet fra avdelingenes PC-er (bare der IT har slått det på): søk uten treff eller uten åpnet treff, telt
per søk og uke, uten personopplysninger. Nærmeste VAR-prosedyrer er det et søk etter behovet finner.</p>
{gaps}
<h2 id="kopier">Lokale kopier</h2>
<p>Lokale dokumenter som dekker samme oppgave som hverandre (f.eks. gammel og ny versjon i ulike enheter).</p>
{duplicates}
<h2 id="forfalt">Revisjon forfalt</h2>
{stale}
<h2 id="utgatt">Utgåtte dokumenter som fortsatt ligger i kildene</h2>
{superseded}
<h2 id="behold">Bare lokal – behold</h2>
<p>Lokale og regionale rutiner uten VAR-motstykke og uten nyere kopi.</p>
{local_only}
</body></html>
"""
