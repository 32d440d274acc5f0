"""GET /export/rapport.pdf?jaar=2025 — the programme's progress report as a PDF download.

A bad `jaar` gets a 400, a stand that is not there a 404, a failure while building a 500: each the
Dutch page of every refused download, with the reason (dashboard/exports/answers.py; the details of
a failure go to the log, never to the user). A built report is kept a few minutes
under the data's generation, so simultaneous requests for it build it once.
"""
from __future__ import annotations

import logging

from flask import Response, current_app, request

from dashboard.exports.answers import STANDEN_LINK, other_year_of_stand, refusal
from dashboard.exports.report_links import PATH, report_filename
from dashboard.server import params, runtime

CACHE = "jeugdmonitor.rapporten"  # the app's ReportCache, in Flask's extensions
log = logging.getLogger(__name__)


def report_response() -> Response:
    from dashboard.exports.report_content import ReportYearError, parse_year
    from dashboard.exports.report_pdf import report_pdf
    from dashboard.programme.progress import read_programme
    from dashboard.server.stand_source import service_and_programme, stand_filename
    from data.programme.stand_store import StandError

    stand = params.stand(params.arg(request.args, "stand"))
    if stand is not None:  # the report of a vastgestelde stand: its frozen figures, its year
        try:
            service, programme, label = service_and_programme(stand)
        except StandError as exc:
            return refusal(404, str(exc), (STANDEN_LINK,))
        jaar = service.info.jaar
        if params.stand_year(params.arg(request.args, "jaar"), service.info.id, jaar):
            return refusal(400, other_year_of_stand(service.info.id, jaar),
                           ((f"Rapport van stand {service.info.id}", f"{PATH}?stand={service.info.id}"),))
    else:
        service, label = runtime.service(), None
        programme = read_programme(runtime.current().engine, vastgesteld_only=True)
        try:
            jaar = parse_year(params.arg(request.args, "jaar"), runtime.data_status().data_tot)
        except ReportYearError as exc:
            return refusal(400, str(exc))
    try:
        # the same report asked twice at once is built once (dashboard/exports/report_cache.py)
        key = (str(runtime.current().engine.url), runtime.service().generation(), jaar, stand)
        pdf = current_app.extensions[CACHE].get(key, lambda: report_pdf(service, programme, jaar, stand=label))
    except Exception:  # noqa: BLE001 — the user gets a sentence, the log gets the traceback
        log.exception("rapport %s maken mislukt", jaar)
        return refusal(500, "Het rapport kon niet worden gemaakt. Probeer het later opnieuw of neem contact "
                           "op met de beheerder.", 500)
    name = stand_filename(report_filename(jaar), service.info) if stand is not None else report_filename(jaar)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "no-store"})


def register(server) -> None:
    from dashboard.exports.report_cache import ReportCache

    server.extensions[CACHE] = ReportCache()
    server.add_url_rule(PATH, "rapport_pdf", report_response)
