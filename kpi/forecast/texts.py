"""Every user-facing text of the forecast: the "Hoe berekend?" paragraph per figure (screens,
exports and docs/prognose.md show the same words), the flag for a warehouse without receipt
dates, and the sentences that put a forecast into words.

`HOE_BEREKEND` maps a figure's field name (as in kpi/forecast/results.py) to its paragraph.
"""
from __future__ import annotations

import datetime as dt

from kpi import format as fmt
from kpi.forecast.results import Prognose

MOGELIJK_ONVOLLEDIG = "mogelijk onvolledig"
GEEN_ONTVANGSTDATUM = (
    "De kostenregels hebben geen ontvangstdatum (kolom ontvangen, importformaat 1.1). Daardoor kan niet "
    "worden bepaald welk deel van de laatste maanden nog gedeclareerd moet worden: de laatste maanden "
    "zijn getoond zoals geleverd en zijn mogelijk onvolledig. De prognose rekent met deze bedragen en "
    "valt daardoor waarschijnlijk te laag uit.")

LAATSTE_MAANDEN_TE_LAAG = ("De laatste maanden vallen nog te laag uit: declaraties komen meestal één tot drie "
                           "maanden na de maand binnen, een deel tot een jaar later.")


def late_declarations(kpi, van_tot: tuple[dt.date, dt.date], data_tot: dt.date | None) -> str | None:
    """LAATSTE_MAANDEN_TE_LAAG when a figure of kosten over `van_tot` reaches into the data's last
    year, whose latest months still lack declarations (September 2026 held a few percent of its
    costs, which read as costs collapsing); else None. The explorer and its files say it alike."""
    if kpi.bron.fact != "kosten" or data_tot is None or van_tot[1] < data_tot - dt.timedelta(days=365):
        return None
    return LAATSTE_MAANDEN_TE_LAAG


HOE_BEREKEND = {
    "gerealiseerd": (
        "Gerealiseerd: de som van alle kostenregels (inclusief correcties) van de maanden van het jaar tot "
        "en met de peildatum, voor zover ze op de peildatum waren ontvangen. De peildatum is de laatste dag "
        "van de laatste volledige maand waarin declaraties zijn ontvangen."),
    "nog_te_verwachten": (
        "Nog te verwachten declaraties: declaraties komen weken tot maanden na de zorgmaand binnen, zodat de "
        "laatste maanden te laag lijken. Per zorgmaand wordt geschat welk deel al binnen is, uit hoe volledig "
        "de 24 voorgaande maanden van dezelfde hulpvorm op dezelfde leeftijd waren (de chain-laddermethode "
        "uit de verzekeringswiskunde). Het ontbrekende deel is het verschil tussen de verwachte eindstand en "
        "wat al binnen is. Van een maand waarvan nog minder dan 40% binnen is, wordt de eindstand niet "
        "opgeschaald maar aangevuld met de modelprognose voor die maand (Bornhuetter-Ferguson)."),
    "prognose_rest": (
        "Prognose rest van het jaar: de verwachte kosten van de maanden na de peildatum, uit een "
        "model met exponentiële afvlakking (ETS) met een niveau en een seizoenspatroon, geschat op de aangevulde "
        "maandbedragen van de laatste vijf jaar."),
    "verwacht_totaal": (
        "Verwachte jaarkosten: gerealiseerd + nog te verwachten declaraties + prognose rest van het jaar. Het "
        "80%-interval komt uit 1.000 gesimuleerde verlopen van het jaar, met de onzekerheid van zowel de "
        "aanvulling als het model; het is verbreed (of versmald) met de factor die de eerdere prognoses op "
        "deze gegevens nodig hadden om in 80% van de gevallen goed te zitten. In 8 van de 10 gevallen valt de "
        "uitkomst naar verwachting binnen het interval."),
    "budget_op": (
        "Begroting op in: de eerste maand waarin de opgetelde verwachte kosten vanaf januari (gerealiseerd, "
        "aangevuld en voorspeld) de begroting van het jaar bereiken. 'Niet dit jaar' als de verwachte "
        "jaarkosten onder de begroting blijven."),
    "overschrijding": (
        "Verwachte overschrijding: verwachte jaarkosten min de begroting jeugdhulp van het jaar (budget.csv). "
        "Een negatief bedrag is een onderschrijding. Het 80%-interval is dat van de jaarkosten min de "
        "begroting."),
    "backtest": (
        "Hoe betrouwbaar is deze prognose? Voor elk van de laatste drie afgesloten jaren en elk maandeinde is "
        "de jaarprognose opnieuw gemaakt met alleen de declaraties die op dat moment binnen waren, en "
        "vergeleken met de jaarkosten zoals ze nu bekend zijn. De gemiddelde absolute fout in procenten "
        "(MAPE) per maand staat naast die van twee eenvoudige methoden: doortrekken (tot nu toe × 12 / "
        "aantal maanden) en het aandeel van vorig jaar (tot nu toe gedeeld door het deel van de jaarkosten "
        "dat vorig jaar op hetzelfde moment binnen was). De dekking is het deel van de prognoses waarbij de "
        "uitkomst binnen het 80%-interval viel."),
}


def model_in_words(model: str) -> str:
    """The model as people read it: "exponentiële afvlakking van niveau en seizoenspatroon",
    without the statistician's code before it ("ETS(A,N,A) op de logaritme: "), which the command
    line's output keeps for the analyst."""
    return model.split(": ", 1)[1] if model.startswith("ETS(") and ": " in model else model


def model_zin(p: Prognose) -> str:
    """'Model: … (terugval: …).' for "Hoe berekend?"."""
    return f"Model: {model_in_words(p.model)}" + (f" (terugval: {p.terugval})" if p.terugval else "") + "."


def euro(value: float) -> str:
    return fmt.value(value, "€")


def bekend(p: Prognose) -> bool:
    """Nothing is left to forecast: every month of the year is past and no declarations are still
    expected (a closed year). Its figures are then said as facts, without 'verwachte' or an interval."""
    return p.prognose_rest == 0 and p.nog_te_verwachten == 0


def jaarkosten_zin(p: Prognose) -> str:
    """'verwachte jaarkosten € x (80%: € a – € b)'; of a closed year 'jaarkosten € x'."""
    if bekend(p):
        return f"jaarkosten {euro(p.verwacht_totaal)}"
    return f"verwachte jaarkosten {euro(p.verwacht_totaal)} (80%: {euro(p.totaal_laag)} – {euro(p.totaal_hoog)})"


def overschrijding_zin(p: Prognose) -> str | None:
    """'verwachte overschrijding € x (80%: € a – € b)', or the onderschrijding when the whole
    interval lies below the budget; None without a budget."""
    if p.overschrijding is None:
        return None
    if bekend(p):
        word = "onderschrijding" if p.overschrijding < 0 else "overschrijding"
        return f"{word} {euro(abs(p.overschrijding))}"
    low, high = p.overschrijding_laag, p.overschrijding_hoog
    if high < 0:
        return (f"verwachte onderschrijding {euro(-p.overschrijding)} "
                f"(80%: {euro(-high)} – {euro(-low)})")
    return f"verwachte overschrijding {euro(p.overschrijding)} (80%: {euro(low)} – {euro(high)})"


def budget_op_zin(p: Prognose) -> str | None:
    """'begroting op in november 2026' or 'begroting naar verwachting niet op in 2026'."""
    if p.budget is None:
        return None
    if p.budget_op is None:
        return f"begroting niet op in {p.jaar}" if bekend(p) else f"begroting naar verwachting niet op in {p.jaar}"
    return f"begroting op in {fmt.MAANDEN[p.budget_op.month - 1]} {p.budget_op.year}"


def parts_note(parts: tuple[Prognose, ...], totaal: Prognose, soort: str) -> str | None:
    """Why the rows per hulpvorm (`soort` "hulpvorm") or gemeente do not add up to the total: each
    series has its own model, so their sum differs a little from the total's forecast, and
    intervals never add. The sum is given only when every row is shown: with a row afgeschermd it
    would bring that row back by subtraction."""
    if len(parts) < 2:
        return None
    note = (f"Elke {soort} is apart voorspeld, met een eigen model; daarom tellen de rijen niet precies op "
            "tot de prognose van het totaal, en de intervallen tellen nooit op.")
    if any(p.afgeschermd for p in parts) or totaal.afgeschermd:
        return note
    samen = sum(p.verwacht_totaal for p in parts)
    return note + f" Opgeteld: {euro(samen)}; de prognose van het totaal: {euro(totaal.verwacht_totaal)}."
