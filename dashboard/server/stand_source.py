"""Where a page's or an export's figures come from: the live service and programme, or a
vastgestelde stand's frozen ones. Kept apart from the stand's writes and its freeze
(dashboard.server.stand_view), which build the exports: the exports read from here, so neither
imports the other."""
from __future__ import annotations

from dashboard.programme import stand_freeze
from dashboard.server import runtime
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
