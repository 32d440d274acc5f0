"""GET /export/presentatie.pptx?jaar=YYYY: the presentation as a PowerPoint file.

Built from the same deck as /presentatie — the fixed slides and the explorer views added to the
presentation — from the configured KPI service. Without `jaar` the presentation's default year; a
year that is no year or that the data does not cover answers 400, a stand that is not there 404:
the Dutch page of every refused download, with the reason (dashboard/exports/answers.py).
`?stand=ID`: the deck of that vastgestelde stand (its figures, its added slides, "Stand per …" in
every footer).
"""
from __future__ import annotations

from flask import Response, request

from dashboard.exports.answers import STANDEN_LINK, other_year_of_stand, refusal
from dashboard.exports.slides import YearError, build_deck, choose_year
from dashboard.programme.progress import read_programme
from dashboard.server import params, runtime

PATH = "/export/presentatie.pptx"
PPTX_MIMETYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def href(jaar: int) -> str:
    return f"{PATH}?jaar={jaar}"


def pptx_response() -> Response:
    # python-pptx is loaded on the first download, not at every worker's start
    from dashboard.exports.slides_pptx import filename, render
    from dashboard.server.stand_source import frozen_dias, service_and_programme, stand_filename
    from data.programme.stand_store import StandError, list_dias

    stand = params.stand(params.arg(request.args, "stand"))
    if stand is not None:  # a vastgestelde stand: its frozen figures, year and added slides
        try:
            frozen, programme, label = service_and_programme(stand)
        except StandError as exc:
            return refusal(404, str(exc), (STANDEN_LINK,))
        jaar = frozen.info.jaar
        if params.stand_year(params.arg(request.args, "jaar"), frozen.info.id, jaar):
            return refusal(400, other_year_of_stand(frozen.info.id, jaar),
                           ((f"Presentatie van stand {frozen.info.id}", f"{PATH}?stand={frozen.info.id}"),))
        deck = build_deck(frozen, programme, jaar, label, frozen_dias(frozen))
        name = stand_filename(filename(jaar), frozen.info)
        return Response(render(deck), mimetype=PPTX_MIMETYPE,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    years, default = runtime.years_available()
    try:
        jaar = choose_year(params.arg(request.args, "jaar"), years, default)
    except YearError as exc:
        return refusal(400, str(exc))
    engine = runtime.current().engine
    deck = build_deck(runtime.service(), read_programme(engine, vastgesteld_only=True), jaar, dias=list_dias(engine))
    return Response(render(deck), mimetype=PPTX_MIMETYPE,
                    headers={"Content-Disposition": f'attachment; filename="{filename(jaar)}"'})


def register(server) -> None:
    server.add_url_rule(PATH, "presentatie_pptx", pptx_response)
