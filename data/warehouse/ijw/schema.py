"""The iJw berichtenverkeer as loaded: one row per message and one per message line the warehouse
uses (docs/ijw.md). The messages are a stream: each load adds the new messages, and trajecten,
verblijf and kosten are derived anew from everything stored (data/warehouse/ijw/derive.py).

Privacy: no BSN, name, address or birth date is stored. `jeugdige_id` is the keyed hash of the
BSN (data/warehouse/ijw/pseudonym.py), `geboortejaar` and `wijk_code` are what the birth date and
the postcode are read for. `xpath` is the line's place in its message, for problem reports.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from data.base import Base


def _bericht_fk() -> ForeignKey:
    return ForeignKey("ijw_bericht.bericht_id", ondelete="CASCADE")


class IjwBericht(Base):
    """One loaded message. iJw: an Identificatie is unique per message kind and sender (WJ001 9056)."""
    __tablename__ = "ijw_bericht"
    bericht_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    soort: Mapped[str] = mapped_column(String(8))  # JW301, JW305, JW307, JW315, JW323, JW325
    afzender: Mapped[str] = mapped_column(String(16))
    ontvanger: Mapped[str] = mapped_column(String(16))
    identificatie: Mapped[str] = mapped_column(String(64))
    dagtekening: Mapped[dt.date] = mapped_column(Date)
    bestand: Mapped[str] = mapped_column(String(255))  # the file's path inside the loaded folder
    # the message's content as XML (data/warehouse/ijw/xml_reading.content_sha256); loads before
    # it stored the sha256 of the file's bytes, which data/warehouse/ijw/store.py still accepts
    sha256: Mapped[str] = mapped_column(String(64))
    __table_args__ = (UniqueConstraint("soort", "afzender", "identificatie", name="sleutel"),)


class IjwVerzoek(Base):
    """JW315 AangevraagdProduct: a provider's request for a toewijzing, with the verwijzer."""
    __tablename__ = "ijw_verzoek"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bericht_id: Mapped[int] = mapped_column(Integer, _bericht_fk(), index=True)
    xpath: Mapped[str] = mapped_column(String(255))
    aanbieder_code: Mapped[str] = mapped_column(String(16))
    jeugdige_id: Mapped[str] = mapped_column(String(64))
    referentie: Mapped[str] = mapped_column(String(64))  # ReferentieAanbieder
    verwijzer: Mapped[str] = mapped_column(String(32))  # contract code (COD327)
    categorie: Mapped[str | None] = mapped_column(String(2))
    productcode: Mapped[str | None] = mapped_column(String(5))
    verzoekdatum: Mapped[dt.date] = mapped_column(Date)  # the message's dagtekening
    __table_args__ = (Index("ix_ijw_verzoek_referentie", "aanbieder_code", "referentie"),)


class IjwToewijzing(Base):
    """JW301 ToegewezenProduct. A later message for the same ToewijzingNummer replaces an earlier one."""
    __tablename__ = "ijw_toewijzing"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bericht_id: Mapped[int] = mapped_column(Integer, _bericht_fk(), index=True)
    xpath: Mapped[str] = mapped_column(String(255))
    toewijzingnummer: Mapped[str] = mapped_column(String(32), index=True)
    aanbieder_code: Mapped[str] = mapped_column(String(16))
    jeugdige_id: Mapped[str] = mapped_column(String(64))
    geboortejaar: Mapped[int] = mapped_column(Integer)
    wijk_code: Mapped[str] = mapped_column(String(32))
    referentie: Mapped[str | None] = mapped_column(String(64))  # ReferentieAanbieder of the JW315
    categorie: Mapped[str | None] = mapped_column(String(2))
    productcode: Mapped[str | None] = mapped_column(String(5))
    toewijzingsdatum: Mapped[dt.date] = mapped_column(Date)
    toewijzingstijd: Mapped[dt.time] = mapped_column(Time)
    ingangsdatum: Mapped[dt.date] = mapped_column(Date)
    einddatum: Mapped[dt.date | None] = mapped_column(Date)
    reden_wijziging: Mapped[str | None] = mapped_column(String(2))  # JZ002


class IjwLevering(Base):
    """JW305 StartProduct (soort 'start') and JW307 StopProduct (soort 'stop')."""
    __tablename__ = "ijw_levering"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bericht_id: Mapped[int] = mapped_column(Integer, _bericht_fk(), index=True)
    xpath: Mapped[str] = mapped_column(String(255))
    soort: Mapped[str] = mapped_column(String(8))
    aanbieder_code: Mapped[str] = mapped_column(String(16))
    jeugdige_id: Mapped[str] = mapped_column(String(64))
    toewijzingnummer: Mapped[str] = mapped_column(String(32), index=True)
    begindatum: Mapped[dt.date] = mapped_column(Date)
    einddatum: Mapped[dt.date | None] = mapped_column(Date)
    reden_beeindiging: Mapped[str | None] = mapped_column(String(2))  # JZ588
    status: Mapped[str] = mapped_column(String(1))  # COD467: 1 eerste, 2 gewijzigd, 3 verwijderen
    dagtekening: Mapped[dt.date] = mapped_column(Date)


class IjwPrestatie(Base):
    """JW323 Prestatie: one declared line, debet positive and credit negative (in cents)."""
    __tablename__ = "ijw_prestatie"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bericht_id: Mapped[int] = mapped_column(Integer, _bericht_fk(), index=True)
    xpath: Mapped[str] = mapped_column(String(255))
    aanbieder_code: Mapped[str] = mapped_column(String(16))
    declaratienummer: Mapped[str] = mapped_column(String(64))
    productreferentie: Mapped[str] = mapped_column(String(64))
    toewijzingnummer: Mapped[str] = mapped_column(String(32), index=True)
    jeugdige_id: Mapped[str] = mapped_column(String(64))
    categorie: Mapped[str] = mapped_column(String(2))
    productcode: Mapped[str] = mapped_column(String(5))
    begindatum: Mapped[dt.date] = mapped_column(Date)
    einddatum: Mapped[dt.date] = mapped_column(Date)
    bedrag_cent: Mapped[int] = mapped_column(BigInteger)
    ingediend_op: Mapped[dt.date] = mapped_column(Date)  # DeclaratieDagtekening
    __table_args__ = (Index("ix_ijw_prestatie_declaratie", "aanbieder_code", "declaratienummer"),)


class IjwAntwoord(Base):
    """JW325 DeclaratieAntwoord: the gemeente's answer to one declaration."""
    __tablename__ = "ijw_antwoord"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bericht_id: Mapped[int] = mapped_column(Integer, _bericht_fk(), index=True)
    aanbieder_code: Mapped[str] = mapped_column(String(16))
    declaratienummer: Mapped[str] = mapped_column(String(64))
    toegekend_cent: Mapped[int] = mapped_column(BigInteger)
    beantwoord_op: Mapped[dt.date] = mapped_column(Date)
    retourcodes: Mapped[str] = mapped_column(String(64))  # of the DeclaratieAntwoord: 8001 = volledig toegewezen
    __table_args__ = (Index("ix_ijw_antwoord_declaratie", "aanbieder_code", "declaratienummer"),)


class IjwAfwijzing(Base):
    """JW325 Prestatie: a declared line the gemeente rejected, with its retourcodes (WJ001)."""
    __tablename__ = "ijw_afwijzing"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bericht_id: Mapped[int] = mapped_column(Integer, _bericht_fk(), index=True)
    xpath: Mapped[str] = mapped_column(String(255))
    aanbieder_code: Mapped[str] = mapped_column(String(16))
    declaratienummer: Mapped[str] = mapped_column(String(64))
    productreferentie: Mapped[str] = mapped_column(String(64))
    retourcodes: Mapped[str] = mapped_column(String(64))  # space-separated WJ001 codes


class IjwSignaal(Base):
    """One record of the stored messages that asks for a look (data/warehouse/ijw/health.py),
    found anew at every iJw load: no start, no stop, a declaration without toewijzing, a rejection."""
    __tablename__ = "ijw_signaal"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    soort: Mapped[str] = mapped_column(String(24))
    aanbieder_code: Mapped[str] = mapped_column(String(16))
    maand: Mapped[dt.date] = mapped_column(Date)  # first day of the month it belongs to
    retourcode: Mapped[str | None] = mapped_column(String(4))  # for `afgewezen`: the first WJ001 code
    __table_args__ = (Index("ix_ijw_signaal_soort_maand", "soort", "maand"),)


class IjwProduct(Base):
    """The gemeente's product codes (`load-ijw --producten FILE`): which hulpvorm and verblijfsvorm a
    (productcategorie, productcode) is, where the category alone does not say (43/44: which stay).
    Kept until a next file replaces it."""
    __tablename__ = "ijw_product"
    categorie: Mapped[str] = mapped_column(String(2), primary_key=True)
    productcode: Mapped[str] = mapped_column(String(5), primary_key=True)
    hulpvorm: Mapped[str | None] = mapped_column(String(32))
    verblijfsvorm: Mapped[str | None] = mapped_column(String(16))
