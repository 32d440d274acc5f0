"""Figure and component builders: tidy rows in, Dutch figures and tables out (no database)."""
from dashboard.programme.overview import CardData
from dashboard.programme.status import OP_KOERS
from dashboard.ui import components, figures
from kpi import CATALOGUE
from kpi.result import KpiRow


def rows():
    return [KpiRow(None, "WK01", "Centrum", 1234.5, 40),
            KpiRow(None, None, "Geen school bekend", 12.25, 12),
            KpiRow(None, "WK02", "Bijvanck", None, None, True)]


def test_bar_chart_carries_drill_keys_and_shows_suppressed_cells():
    fig = figures.bar_chart(rows(), "€", "Totale kosten per wijk, 2025", threshold=10)
    shown, hidden = fig.data
    assert list(shown.customdata) == ["WK01", figures.EMPTY_KEY]
    assert list(shown.text) == ["€ 1.235", "€ 12"]
    assert "n = 40" in shown.hovertext[0]
    assert list(hidden.text) == ["<10"] and list(hidden.customdata) == ["WK02"]
    assert fig.layout.title.text == "Totale kosten per wijk, 2025"
    assert fig.layout.template.layout.separators == ",."


def test_empty_selection_says_so():
    fig = figures.bar_chart([], "%", "Titel", 10)
    assert fig.layout.annotations[0].text == "Geen gegevens voor deze selectie"


def test_trend_with_targets():
    trend = [KpiRow("2024", None, "Totaal", 10.0, 30), KpiRow("2025", None, "Totaal", None, None, True)]
    fig = figures.trend_chart(trend, "%", "Trend", 10, {"2025": 9.5})
    line, target = fig.data
    assert list(line.y) == [10.0, None]
    assert line.hovertext[1] == "2025: <10"
    assert target.hovertext[0] == "streefwaarde 2025: 9,5%"


def test_a_trend_without_a_complete_period_names_no_line_in_its_legend():
    """Inkoopwensen 2028 (a value for the running year only) had "realisatie" in its legend and no point."""
    running = [KpiRow("2026", None, "Totaal", 4.0, None)]
    fig = figures.trend_chart(running, "aantal", "Trend", None, {"2028": 6.0}, partial={"2026": "t/m september"})
    shown = [t.name for t in fig.data if t.showlegend is not False]
    assert "realisatie" not in shown and figures.RUNNING_NAME in shown and "streefwaarde" in shown
    hidden = figures.trend_chart([KpiRow("2025", None, "Totaal", None, None, True)], "aantal", "Trend", 10)
    assert [t.name for t in hidden.data if t.showlegend is not False] == []
    complete = figures.trend_chart([KpiRow("2025", None, "Totaal", 5.0, 30)], "aantal", "Trend", 10)
    assert [t.name for t in complete.data if t.showlegend is not False] == ["realisatie"]


def test_a_running_period_that_is_afgeschermd_names_no_open_dot_in_its_legend():
    """Gemiddeld rapportcijfer 2026 (t/m september) is <10: the legend promised "realisatie tot nu toe"
    beside a chart without that dot. The period stays on the axis; its value is in the table."""
    trend = [KpiRow("2025", None, "Totaal", 7.5, 40), KpiRow("2026", None, "Totaal", None, None, True)]
    fig = figures.trend_chart(trend, "cijfer", "Trend", 10, {"2026": 7.4}, partial={"2026": "t/m september"})
    assert [t.name for t in fig.data if t.showlegend is not False] == ["realisatie", "streefwaarde"]
    assert "2026 (t/m september)" in fig.layout.xaxis.categoryarray
    shown = figures.trend_chart([trend[0], KpiRow("2026", None, "Totaal", 7.4, 12)], "cijfer", "Trend", 10,
                                partial={"2026": "t/m september"})
    assert [t.name for t in shown.data if t.showlegend is not False] == ["realisatie", figures.RUNNING_NAME]


def test_a_notes_flag_stands_between_the_title_and_the_plot():
    """At 1280×720 the flag "✎ 1" of a note stood on the second line of "Gemiddelde verblijfsduur
    (dagen): realisatie en streefwaarden" (and touched a title of one line). The arithmetic of
    plotly's layout: a title's middle is where `title.y` puts it in the container, or the middle of
    the top margin; a flag (ay=-18, a box of ~20 px for its 12 px text) reaches 38 px above the plot."""
    trend = [KpiRow("2024", None, "Totaal", 528.0, 40), KpiRow("2025", None, "Totaal", 708.0, 40)]
    for title in ("Gemiddelde verblijfsduur (dagen): realisatie en streefwaarden", "Verblijfsduur"):
        plain = figures.trend_chart(trend, "dagen", title, 10).layout
        fig = figures.trend_chart(trend, "dagen", title, 10, notes=[("2025", "Nieuwe definitie")]).layout
        (flag,) = fig.annotations
        lines = fig.title.text.count("<br>") + 1

        def title_middle_px(layout):
            return (1 - layout.title.y) * layout.height if layout.title.y is not None else layout.margin.t / 2
        title_bottom = title_middle_px(fig) + lines * figures.TITLE_LINE_PX / 2
        flag_top = fig.margin.t + flag.ay - 20
        assert title_bottom + 2 <= flag_top, (title, title_bottom, flag_top)
        assert abs(title_middle_px(fig) - title_middle_px(plain)) < 1  # the title stays where it was
        assert fig.height - fig.margin.t - fig.margin.b == plain.height - plain.margin.t - plain.margin.b


def test_a_trend_with_nothing_to_draw_says_so_instead_of_an_empty_axis():
    """Every period afgeschermd (a small wijk per kwartaal, an empty warehouse) drew axes from -1 to 4
    and nothing on them."""
    hidden = [KpiRow(p, None, "Totaal", None, None, True) for p in ("2024", "2025")]
    fig = figures.trend_chart(hidden, "aantal", "Trend", 10)
    assert fig.data == () and not fig.layout.yaxis.visible
    assert fig.layout.annotations[0].text == ("Alle 2 perioden zijn afgeschermd (<10): in deze trend kan niets "
                                              "worden getoond")
    one = figures.trend_chart(hidden[:1], "aantal", "Trend", 10)   # a trend of one year: not "Alle 1 perioden"
    assert one.layout.annotations[0].text.startswith("De enige periode is afgeschermd (<10)")
    undefined = [KpiRow("2025", None, "Totaal", None, 0)]  # an empty denominator: no value, not hidden
    assert figures.trend_chart(undefined, "%", "Trend", 10).layout.annotations[0].text == \
        "Geen waarden voor deze selectie"
    with_target = figures.trend_chart(hidden, "aantal", "Trend", 10, {"2025": 9.0})
    assert [t.name for t in with_target.data] == ["realisatie", "streefwaarde"]


def test_kpi_table_formats_the_dutch_way():
    table = components.kpi_table(rows(), "%", 10, "Bijschrift", "Wijk")
    text = str(table.to_plotly_json())
    assert "1234,5%" in text.replace(".", "") or "1.234,5%" in text
    assert "<10" in text and "Bijschrift" in text


def test_status_badge_uses_icon_and_words():
    badge = components.status_badge(OP_KOERS)
    assert "Op koers" in str(badge.children) and "bi-check-circle-fill" in str(badge.children)
    assert components.status_badge(None).children == "geen streefwaarde"


def test_card_texts():
    card = CardData(CATALOGUE["gem_trajectduur"], 2025, 380.0, False, 10, 400.0, 390.0, OP_KOERS,
                    ("2024", "2025"), (2024, 2025), (400.0, 380.0), "landelijk 2023: 406 dagen")
    assert card.value_text == "380 dagen"
    assert card.change_text == "20 dagen lager dan 2024 (gunstig)"
    assert card.target_text == "streefwaarde 2025: 390 dagen"
    pct = CardData(CATALOGUE["pct_tevreden"], 2025, 70.0, False, 10, 72.5, None, None, (), (), (), None)
    assert pct.change_text == "2,5 procentpunt lager dan 2024 (ongunstig)"


def test_a_card_without_a_streefwaarde_says_so_once():
    """2019–2024 have no streefwaarde: the card's status line reads "geen streefwaarde", not
    "geen streefwaarde · geen streefwaarde"; with a target it still names it after the status."""
    from dashboard.pages.overzicht import kpi_card

    def status_line(card) -> str:
        paragraph = kpi_card(card, None).children.children[2]
        return "".join(_text(child) for child in paragraph.children)

    bare = CardData(CATALOGUE["gem_trajectduur"], 2023, 380.0, False, 10, 400.0, None, None,
                    ("2023",), (2023,), (380.0,), None, reden="geen streefwaarde")
    assert status_line(bare) == "geen streefwaarde"
    judged = CardData(CATALOGUE["gem_trajectduur"], 2025, 380.0, False, 10, 400.0, 390.0, OP_KOERS,
                      ("2025",), (2025,), (380.0,), None)
    assert status_line(judged).endswith(" · streefwaarde 2025: 390 dagen")


def test_a_card_with_no_year_to_draw_says_so_instead_of_the_years_beside_an_empty_line():
    """Every year afgeschermd (an empty warehouse, a small gemeente) showed "2019–2025" beside nothing."""
    from dashboard.pages.overzicht import trend_line

    years = ("2019", "2020", "2021")
    hidden = CardData(CATALOGUE["instroom"], 2021, None, True, 10, None, None, None, years, (2019, 2020, 2021),
                      (None, None, None), None)
    assert _text(trend_line(hidden, "")) == "geen trend te tonen (2019–2021)"
    drawn = CardData(CATALOGUE["instroom"], 2021, 40.0, False, 10, None, None, None, years, (2019, 2020, 2021),
                     (None, 30.0, 40.0), None)
    assert _text(trend_line(drawn, "2020: 30")).startswith(" ▁█ 2019–2021")


def _text(component) -> str:
    if isinstance(component, str):
        return component
    children = getattr(component, "children", None)
    if children is None:
        return ""
    return "".join(_text(c) for c in (children if isinstance(children, list) else [children]))


def test_text_sparkline():
    assert components.text_sparkline([1, 2, 3]) == "▁▄█"
    assert components.text_sparkline([None, None]) == ""


def test_graph_config_is_dutch_and_never_offers_a_cloud_upload():
    from dashboard.ui.theme import graph_config

    config = graph_config()
    assert config["locale"] == "nl"
    assert config["locales"]["nl"]["format"]["decimal"] == ","
    assert {"sendChartToCloud", "sendDataToCloud"} <= set(config["modeBarButtonsToRemove"])
    assert config["displaylogo"] is False


def test_a_breakdown_with_every_group_hidden_says_nothing_can_be_shown():
    rows = [KpiRow(None, k, k, None, None, True) for k in ("W1", "W2", "W3")]
    fig = figures.bar_chart(rows, "aantal", "Instroom per wijk, 2025", 10)
    assert not fig.data  # no hollow bars on an empty axis
    assert fig.layout.annotations[0].text.startswith("Alle 3 groepen zijn afgeschermd (<10)")
    one = figures.bar_chart(rows[:1], "aantal", "Instroom per gemeente, 2025", 10)   # one gemeente, filtered to a wijk
    assert one.layout.annotations[0].text.startswith("De enige groep is afgeschermd (<10)")   # not "Alle 1 groepen"


def test_charts_offer_no_zoom_so_inzoomen_means_the_drill_down():
    from dashboard.ui.theme import graph_config

    removed = set(graph_config()["modeBarButtonsToRemove"])
    assert {"zoom2d", "zoomIn2d", "zoomOut2d", "pan2d"} <= removed


def test_amounts_and_year_spans_do_not_break_across_lines():
    """'streefwaarde 2025: € 13.021.000' must not end a line with '€' alone, nor a title with
    '2025–': those parts are spans that do not wrap, and the text reads as before."""
    from dash import html

    parts = components.kept_together(" · streefwaarde 2025: € 13.021.000 (was € -1.250,50)")
    kept = [p.children for p in parts if isinstance(p, html.Span)]
    assert kept == ["€ 13.021.000", "€ -1.250,50"]
    assert all(p.className == "text-nowrap" for p in parts if isinstance(p, html.Span))
    text = "".join(p if isinstance(p, str) else p.children for p in parts)
    assert text == " · streefwaarde 2025: € 13.021.000 (was € -1.250,50)"
    title = components.kept_together("Programmaplan Jeugd 2025–2028")
    assert title[0] == "Programmaplan Jeugd " and title[1].children == "2025–2028" and len(title) == 2
    assert components.kept_together("geen bedrag") == ["geen bedrag"]


def test_a_long_chart_title_breaks_after_its_colon_and_the_plot_keeps_its_height():
    """Plotly does not wrap a title: one wider than a chart beside its table at 1280×720 was cut off
    at both sides. It breaks after its colon, then between words; a colon inside a drill path's
    parentheses is no break; the chart grows by the extra line, so the plot keeps its size."""
    long = "Casusreflecties met gedragswetenschapper: realisatie en streefwaarden"
    assert figures.title_lines(long) == ["Casusreflecties met gedragswetenschapper:", "realisatie en streefwaarden"]
    assert figures.title_lines("Instroom: realisatie en streefwaarden") == ["Instroom: realisatie en streefwaarden"]
    drill = "Instroom per school, 2025 (verwijzer: Huisarts, wijk: Centrum, school: De Regenboog)"
    assert figures.title_lines(drill) == ["Instroom per school, 2025 (verwijzer: Huisarts, wijk:",
                                          "Centrum, school: De Regenboog)"]
    trend = [KpiRow("2024", None, "Totaal", 10.0, 30)]
    short, wrapped = (figures.trend_chart(trend, "%", title, 10, height=260) for title in ("Kort", long))
    assert wrapped.layout.title.text == "Casusreflecties met gedragswetenschapper:<br>realisatie en streefwaarden"
    extra = wrapped.layout.height - short.layout.height
    assert extra > 0 and wrapped.layout.margin.t - short.layout.margin.t == extra
    assert (short.layout.title.text, short.layout.height, short.layout.margin.t) == ("Kort", 260, 50)
