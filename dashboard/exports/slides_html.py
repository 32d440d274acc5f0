"""A slide of the slide model (dashboard/exports/slides.py) as HTML: the browser's renderer.

Every slide is drawn on a stage of 1280 × 720 CSS pixels with the boxes and type sizes of
dashboard/exports/slide_layout.py — the PowerPoint's layout, 96 px to the inch — and
assets/30_presentatie.js scales the stage to the screen, so a slide fits any screen and reads the
same at 1280×720 as at 1920×1080. Charts are plotly figures at the size of the slide's table text
(dashboard/exports/slide_figures.py). Where a chart fills the slide (an added explorer view), its table is
its alternative: present for screen readers, shown instead of the chart with the T key. Nothing in
view is a control; the keys are told to screen readers (and on focus) in the footer.
"""
from __future__ import annotations

from dash import dcc, html

from dashboard.exports import slide_figures
from dashboard.exports import slide_layout as L
from dashboard.exports.slides import Deck, Slide, Table
from dashboard.ui import components

KEYS = ("Toetsen: pijl rechts of PageDown: volgende dia; pijl links of PageUp: vorige dia; "
        "T: tabel of grafiek; Esc: stoppen.")
PARAGRAPH_CLASS = {"lead": "dia-lead", "plain": "dia-tekst", "secondary": "dia-secundair",
                   "warning": "dia-waarschuwing"}
TITLE_SLIDE_SIZES = {"lead": 36, "plain": 28, "secondary": 24}


def _place(box: L.Box, size: float | None = None) -> dict:
    style = {"left": f"{L.px(box.left)}px", "top": f"{L.px(box.top)}px",
             "width": f"{L.px(box.width)}px", "height": f"{L.px(box.height)}px"}
    if size:
        style["fontSize"] = f"{L.pt_px(size)}px"
    return style


def _cell(cell, column: int, numeric: bool):
    classes = ["text-end"] if numeric else []
    if cell.kind == "status":
        classes.append(f"status status-{cell.status.code}" if cell.status else "status status-geen")
    kwargs = {"className": " ".join(classes)} if classes else {}
    if column == 0:
        return html.Th(L.cell_text(cell), scope="row", **kwargs)
    return html.Td(L.cell_text(cell), **kwargs)


def html_table(table: Table, fit: L.TableFit, caption: str | None = None) -> html.Table:
    """The table with the PowerPoint's column widths, row heights and type size."""
    total = sum(fit.widths)
    columns = html.Colgroup([html.Col(style={"width": f"{100 * w / total:.3f}%"}) for w in fit.widths])
    head = html.Thead(html.Tr([html.Th(c.label, scope="col", **({"className": "text-end"} if c.numeric else {}))
                               for c in table.columns], style={"height": f"{L.px(fit.heights[0])}px"}))
    body = html.Tbody([html.Tr([_cell(cell, i, column.numeric)
                                for i, (cell, column) in enumerate(zip(row, table.columns, strict=True))],
                               style={"height": f"{L.px(height)}px"})
                       for row, height in zip(table.rows, fit.heights[1:], strict=True)])
    parts = ([html.Caption(caption, className="visually-hidden")] if caption else []) + [columns, head, body]
    return html.Table(parts, className="dia-tabel-grid", style={"fontSize": f"{L.pt_px(fit.size)}px"})


def _chart(slide: Slide, layout: L.SlideLayout) -> html.Figure:
    parts = layout.chart_parts(slide.chart)
    plot = layout.bar_plot(slide.chart)  # the bars where the PowerPoint has them, one scale for both columns
    graphs = [dcc.Graph(figure=slide_figures.figure(chart, box, layout.chart_size, layout.chart_title, plot),
                        config={"staticPlot": True, "displayModeBar": False, "responsive": False},
                        className="dia-graph", style=_place(L.Box(box.left - layout.chart.left,
                                                                   box.top - layout.chart.top, box.width, box.height)))
              for chart, box in parts]
    classes = "dia-grafiek" + ("" if layout.table_beside or slide.table is None else " met-alternatief")
    return html.Figure(graphs + [html.Figcaption(slide.chart.summary, className="visually-hidden")],
                       className=classes, style=_place(layout.chart), **{"aria-label": slide.chart.title})


def content(slide: Slide) -> list:
    """A content slide's title and body on the stage."""
    layout = L.layout(slide)
    parts = [html.H1(html.Span(slide.title), className="dia-titel", style=_place(layout.title.box, layout.title.size))]
    parts += [html.P(p.text, className=f"dia-alinea {PARAGRAPH_CLASS[p.role]}", style=_place(block.box, block.size))
              for p, block in zip(slide.paragraphs, layout.paragraphs, strict=True)]
    if slide.chart is not None:
        parts.append(_chart(slide, layout))
    if slide.table is not None and layout.table_fit:
        parts.append(html.Div(html_table(slide.table, layout.table_fit), className="dia-tabel", style=_place(layout.table)))
    if layout.alternative:  # in the chart's place, in its columns
        tables = [html.Div(html_table(part, fit, slide.chart.title if index == 0 else None), className="dia-tabel-deel",
                           style=_place(L.Box(box.left - layout.chart.left, box.top - layout.chart.top, box.width, box.height)))
                  for index, (part, box, fit) in enumerate(layout.alternative)]
        parts.append(html.Div(tables, className="dia-tabel alternatief", style=_place(layout.chart)))
    if layout.footnote:
        parts.append(html.P([html.I(className="bi bi-shield-lock", **{"aria-hidden": "true"}), " " + slide.footnote],
                            className="dia-voetnoot suppression-note",
                            style=_place(layout.footnote.box, layout.footnote.size)))
    return parts


def title_content(slide: Slide) -> list:
    title_box, subtitle_box = L.title_slide_boxes()
    lines = [html.P(p.text, className=f"dia-alinea {PARAGRAPH_CLASS[p.role]}",
                    style={"fontSize": f"{L.pt_px(TITLE_SLIDE_SIZES[p.role])}px"}) for p in slide.paragraphs]
    return [html.H1(html.Span(components.kept_together(slide.title)), className="dia-titel",
                    style=_place(title_box, 48)),
            html.Div(lines, className="dia-ondertitel", style=_place(subtitle_box))]


def slide_body(slide: Slide) -> list:
    return title_content(slide) if slide.kind == "titel" else content(slide)


def footer(deck: Deck, number: int) -> html.Div:
    """Source, data date and stand as in the PowerPoint, the slide number at the right; the keys
    for screen readers and keyboard users only."""
    size, _lines = L.footer_size(deck.footer)
    text_box = L.Box(L.MARGIN, L.FOOTER_TOP, L.CONTENT_WIDTH - L.NUMBER_WIDTH - 0.2, L.FOOTER_HEIGHT)
    number_box = L.Box(L.SLIDE_WIDTH - L.MARGIN - L.NUMBER_WIDTH, L.FOOTER_TOP, L.NUMBER_WIDTH, L.FOOTER_HEIGHT)
    line = L.Box(L.MARGIN, L.FOOTER_LINE, L.CONTENT_WIDTH, 0)
    return html.Div([
        html.Div(className="dia-lijn", style=_place(line)),
        html.Span(deck.footer, className="slide-source", style=_place(text_box, size)),
        html.Span(f"Dia {number} van {len(deck.slides)}", className="slide-number", style=_place(number_box, 14)),
        html.Span(KEYS, className="slide-keys visually-hidden-focusable", tabIndex="0"),
    ], className="slide-footer")
