"""Where a page's or an export's figures come from: the live service and programme, or a
vastgestelde stand's frozen ones. Kept apart from the stand's writes and its freeze
(dashboard.server.stand_view), which build the exports: the exports read from here, so neither
imports the other."""
from __future__ import annotations

from dashboard.programme import stand_freeze
from dashboard.server import params, runtime
from data.programme import stand_store


def service_and_programme(stand_id=None):
    """(service, programme, label) for a page: the live ones when `stand_id` is None (the link
    names no stand, `params.stand`), else the stand's frozen service and programme with its label
    "Stand per 12 november 2026 — titel". Raises StandError (Dutch message) for an id that is not
    a stand, an empty one included: a link that names a stand never gets live figures."""
    if stand_id is None:
        from dashboard.server import viewer

        return runtime.service(), viewer.programme(), None
    frozen = stand_freeze.load_snapshot(runtime.current().engine, stand_id)
    return frozen, frozen.programme, f"{stand_freeze.frozen_label(frozen)} — {frozen.info.titel}"


def live_only_notice(stand_id) -> str | None:
    """The notice of a page that has no frozen version (the programme, a lijn, an indicator)
    opened with `?stand=`: it shows today's figures and says so (params.live_only) — after why the
    link names no stand, when it names none, so a mistyped number is not taken for a stand."""
    notice = params.live_only(stand_id)
    if notice is None:
        return None
    problem = stand_freeze.stand_link_problem(runtime.current().engine, stand_id)
    return f"{problem} {notice}" if problem else notice


def stand_filename(name: str, info) -> str:
    """"x_2025.pdf" → "x_2025_stand_2025-11-12.pdf": a stand's download is told apart from the live one."""
    stem, _dot, extension = name.rpartition(".")
    return f"{stem}_stand_{info.peildatum:%Y-%m-%d}.{extension}"


def frozen_dias(frozen) -> list[stand_store.Dia] | None:
    """The added slides as they were when the stand was frozen (None for the live service)."""
    extra = getattr(frozen, "extra", None)
    if extra is None:
        return None
    return [stand_store.Dia(i, i, d["titel"], d["weergave"], "", None)
            for i, d in enumerate(extra.get("dias", []), start=1)]
