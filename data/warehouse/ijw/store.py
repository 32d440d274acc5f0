"""Adding read messages to the iJw tables, inside the load's transaction.

A message is known by its kind, sender and Identificatie (iJw: unique per kind and sender). A
message already stored with the same content is skipped: reloading a folder, or a folder that also
holds last month's files, adds nothing. The same key with other content is a problem: the sender
broke the uniqueness rule, or a file was altered.

The content is compared as XML (`Message.content_sha256`, stored in ijw_bericht.sha256), not as
the file's bytes: an archive saved again with Windows line ends, a byte-order mark or other
indentation holds the same messages, and was refused as "every message changed". A message stored
by a load before that holds the sha256 of its file, so that is accepted as the same content too.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, func, insert, select

from data.warehouse.ijw.messages import IjwProblem, Message
from data.warehouse.ijw.schema import (
    IjwAfwijzing,
    IjwAntwoord,
    IjwBericht,
    IjwLevering,
    IjwPrestatie,
    IjwToewijzing,
    IjwVerzoek,
)

ROW_TABLES = {t.__tablename__: t for t in (IjwVerzoek, IjwToewijzing, IjwLevering, IjwPrestatie,
                                           IjwAntwoord, IjwAfwijzing)}


@dataclass
class Stored:
    added: dict[str, int] = field(default_factory=dict)  # message kind -> new messages
    known: int = 0  # messages that were already in the warehouse


def add_messages(conn: Connection, messages: list[Message], problems: list[IjwProblem],
                 warnings: list[str]) -> Stored:
    stored = Stored()
    existing = {(r.soort, r.afzender, r.identificatie): (r.sha256, r.bestand) for r in conn.execute(
        select(IjwBericht.soort, IjwBericht.afzender, IjwBericht.identificatie, IjwBericht.sha256,
               IjwBericht.bestand))}
    seen: dict[tuple, Message] = {}
    new: list[Message] = []
    for message in messages:
        key = (message.soort, message.afzender, message.identificatie)
        earlier = seen.get(key)
        if earlier is not None:
            if earlier.content_sha256 == message.content_sha256:
                warnings.append(f"{message.file}: hetzelfde bericht als {earlier.file}; één keer geladen")
            else:
                problems.append(IjwProblem(message.file, "/Bericht/Header/BerichtIdentificatie",
                                           _duplicate(message, earlier.file)))
            continue
        seen[key] = message
        if key in existing:
            sha256, bestand = existing[key]
            if sha256 in (message.content_sha256, message.file_sha256):
                stored.known += 1
            else:
                problems.append(IjwProblem(message.file, "/Bericht/Header/BerichtIdentificatie",
                                           _duplicate(message, f"{bestand} (eerder geladen)")))
            continue
        new.append(message)
    if problems or not new:
        return stored
    next_id = (conn.execute(select(func.max(IjwBericht.bericht_id))).scalar() or 0) + 1
    berichten, rows = [], {name: [] for name in ROW_TABLES}
    for bericht_id, message in enumerate(new, start=next_id):
        berichten.append({"bericht_id": bericht_id, "soort": message.soort, "afzender": message.afzender,
                          "ontvanger": message.ontvanger, "identificatie": message.identificatie,
                          "dagtekening": message.dagtekening, "bestand": message.file[:255],
                          "sha256": message.content_sha256})
        for table, table_rows in message.rows.items():
            rows[table].extend({**row, "bericht_id": bericht_id} for row in table_rows)
        stored.added[message.soort] = stored.added.get(message.soort, 0) + 1
    conn.execute(insert(IjwBericht), berichten)
    for table, table_rows in rows.items():
        if table_rows:
            conn.execute(insert(ROW_TABLES[table]), table_rows)
    return stored


def _duplicate(message: Message, other: str) -> str:
    return (f"{message.soort} met Identificatie {message.identificatie!r} van afzender {message.afzender} "
            f"staat ook in {other}, met een andere inhoud; een Identificatie is uniek per berichtsoort "
            "en afzender")
