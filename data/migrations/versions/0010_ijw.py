"""ijw: the iJw berichtenverkeer as loaded (python -m data load-ijw; docs/ijw.md)

One row per message and per message line the warehouse uses; no BSN, name, address or birth date.

Revision ID: 0010_ijw
Revises: 0009_ontvangen
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = '0010_ijw'
down_revision = '0009_ontvangen'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ijw_bericht',
    sa.Column('bericht_id', sa.Integer(), nullable=False),
    sa.Column('soort', sa.String(length=8), nullable=False),
    sa.Column('afzender', sa.String(length=16), nullable=False),
    sa.Column('ontvanger', sa.String(length=16), nullable=False),
    sa.Column('identificatie', sa.String(length=64), nullable=False),
    sa.Column('dagtekening', sa.Date(), nullable=False),
    sa.Column('bestand', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('bericht_id', name=op.f('pk_ijw_bericht')),
    sa.UniqueConstraint('soort', 'afzender', 'identificatie', name='sleutel')
    )
    op.create_table('ijw_afwijzing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bericht_id', sa.Integer(), nullable=False),
    sa.Column('xpath', sa.String(length=255), nullable=False),
    sa.Column('aanbieder_code', sa.String(length=16), nullable=False),
    sa.Column('declaratienummer', sa.String(length=64), nullable=False),
    sa.Column('productreferentie', sa.String(length=64), nullable=False),
    sa.Column('retourcodes', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['bericht_id'], ['ijw_bericht.bericht_id'], name=op.f('fk_ijw_afwijzing_bericht_id_ijw_bericht'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ijw_afwijzing'))
    )
    with op.batch_alter_table('ijw_afwijzing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ijw_afwijzing_bericht_id'), ['bericht_id'], unique=False)

    op.create_table('ijw_antwoord',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bericht_id', sa.Integer(), nullable=False),
    sa.Column('aanbieder_code', sa.String(length=16), nullable=False),
    sa.Column('declaratienummer', sa.String(length=64), nullable=False),
    sa.Column('toegekend_cent', sa.BigInteger(), nullable=False),
    sa.Column('beantwoord_op', sa.Date(), nullable=False),
    sa.Column('retourcodes', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['bericht_id'], ['ijw_bericht.bericht_id'], name=op.f('fk_ijw_antwoord_bericht_id_ijw_bericht'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ijw_antwoord'))
    )
    with op.batch_alter_table('ijw_antwoord', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ijw_antwoord_bericht_id'), ['bericht_id'], unique=False)
        batch_op.create_index('ix_ijw_antwoord_declaratie', ['aanbieder_code', 'declaratienummer'], unique=False)

    op.create_table('ijw_levering',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bericht_id', sa.Integer(), nullable=False),
    sa.Column('xpath', sa.String(length=255), nullable=False),
    sa.Column('soort', sa.String(length=8), nullable=False),
    sa.Column('aanbieder_code', sa.String(length=16), nullable=False),
    sa.Column('jeugdige_id', sa.String(length=64), nullable=False),
    sa.Column('toewijzingnummer', sa.String(length=32), nullable=False),
    sa.Column('begindatum', sa.Date(), nullable=False),
    sa.Column('einddatum', sa.Date(), nullable=True),
    sa.Column('reden_beeindiging', sa.String(length=2), nullable=True),
    sa.Column('status', sa.String(length=1), nullable=False),
    sa.Column('dagtekening', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['bericht_id'], ['ijw_bericht.bericht_id'], name=op.f('fk_ijw_levering_bericht_id_ijw_bericht'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ijw_levering'))
    )
    with op.batch_alter_table('ijw_levering', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ijw_levering_bericht_id'), ['bericht_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ijw_levering_toewijzingnummer'), ['toewijzingnummer'], unique=False)

    op.create_table('ijw_prestatie',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bericht_id', sa.Integer(), nullable=False),
    sa.Column('xpath', sa.String(length=255), nullable=False),
    sa.Column('aanbieder_code', sa.String(length=16), nullable=False),
    sa.Column('declaratienummer', sa.String(length=64), nullable=False),
    sa.Column('productreferentie', sa.String(length=64), nullable=False),
    sa.Column('toewijzingnummer', sa.String(length=32), nullable=False),
    sa.Column('jeugdige_id', sa.String(length=64), nullable=False),
    sa.Column('categorie', sa.String(length=2), nullable=False),
    sa.Column('productcode', sa.String(length=5), nullable=False),
    sa.Column('begindatum', sa.Date(), nullable=False),
    sa.Column('einddatum', sa.Date(), nullable=False),
    sa.Column('bedrag_cent', sa.BigInteger(), nullable=False),
    sa.Column('ingediend_op', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['bericht_id'], ['ijw_bericht.bericht_id'], name=op.f('fk_ijw_prestatie_bericht_id_ijw_bericht'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ijw_prestatie'))
    )
    with op.batch_alter_table('ijw_prestatie', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ijw_prestatie_bericht_id'), ['bericht_id'], unique=False)
        batch_op.create_index('ix_ijw_prestatie_declaratie', ['aanbieder_code', 'declaratienummer'], unique=False)
        batch_op.create_index(batch_op.f('ix_ijw_prestatie_toewijzingnummer'), ['toewijzingnummer'], unique=False)

    op.create_table('ijw_toewijzing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bericht_id', sa.Integer(), nullable=False),
    sa.Column('xpath', sa.String(length=255), nullable=False),
    sa.Column('toewijzingnummer', sa.String(length=32), nullable=False),
    sa.Column('aanbieder_code', sa.String(length=16), nullable=False),
    sa.Column('jeugdige_id', sa.String(length=64), nullable=False),
    sa.Column('geboortejaar', sa.Integer(), nullable=False),
    sa.Column('wijk_code', sa.String(length=32), nullable=False),
    sa.Column('referentie', sa.String(length=64), nullable=True),
    sa.Column('categorie', sa.String(length=2), nullable=True),
    sa.Column('productcode', sa.String(length=5), nullable=True),
    sa.Column('toewijzingsdatum', sa.Date(), nullable=False),
    sa.Column('toewijzingstijd', sa.Time(), nullable=False),
    sa.Column('ingangsdatum', sa.Date(), nullable=False),
    sa.Column('einddatum', sa.Date(), nullable=True),
    sa.Column('reden_wijziging', sa.String(length=2), nullable=True),
    sa.ForeignKeyConstraint(['bericht_id'], ['ijw_bericht.bericht_id'], name=op.f('fk_ijw_toewijzing_bericht_id_ijw_bericht'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ijw_toewijzing'))
    )
    with op.batch_alter_table('ijw_toewijzing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ijw_toewijzing_bericht_id'), ['bericht_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ijw_toewijzing_toewijzingnummer'), ['toewijzingnummer'], unique=False)

    op.create_table('ijw_verzoek',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bericht_id', sa.Integer(), nullable=False),
    sa.Column('xpath', sa.String(length=255), nullable=False),
    sa.Column('aanbieder_code', sa.String(length=16), nullable=False),
    sa.Column('jeugdige_id', sa.String(length=64), nullable=False),
    sa.Column('referentie', sa.String(length=64), nullable=False),
    sa.Column('verwijzer', sa.String(length=32), nullable=False),
    sa.Column('categorie', sa.String(length=2), nullable=True),
    sa.Column('productcode', sa.String(length=5), nullable=True),
    sa.Column('verzoekdatum', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['bericht_id'], ['ijw_bericht.bericht_id'], name=op.f('fk_ijw_verzoek_bericht_id_ijw_bericht'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ijw_verzoek'))
    )
    with op.batch_alter_table('ijw_verzoek', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ijw_verzoek_bericht_id'), ['bericht_id'], unique=False)
        batch_op.create_index('ix_ijw_verzoek_referentie', ['aanbieder_code', 'referentie'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('ijw_verzoek', schema=None) as batch_op:
        batch_op.drop_index('ix_ijw_verzoek_referentie')
        batch_op.drop_index(batch_op.f('ix_ijw_verzoek_bericht_id'))

    op.drop_table('ijw_verzoek')
    with op.batch_alter_table('ijw_toewijzing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ijw_toewijzing_toewijzingnummer'))
        batch_op.drop_index(batch_op.f('ix_ijw_toewijzing_bericht_id'))

    op.drop_table('ijw_toewijzing')
    with op.batch_alter_table('ijw_prestatie', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ijw_prestatie_toewijzingnummer'))
        batch_op.drop_index('ix_ijw_prestatie_declaratie')
        batch_op.drop_index(batch_op.f('ix_ijw_prestatie_bericht_id'))

    op.drop_table('ijw_prestatie')
    with op.batch_alter_table('ijw_levering', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ijw_levering_toewijzingnummer'))
        batch_op.drop_index(batch_op.f('ix_ijw_levering_bericht_id'))

    op.drop_table('ijw_levering')
    with op.batch_alter_table('ijw_antwoord', schema=None) as batch_op:
        batch_op.drop_index('ix_ijw_antwoord_declaratie')
        batch_op.drop_index(batch_op.f('ix_ijw_antwoord_bericht_id'))

    op.drop_table('ijw_antwoord')
    with op.batch_alter_table('ijw_afwijzing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ijw_afwijzing_bericht_id'))

    op.drop_table('ijw_afwijzing')
    op.drop_table('ijw_bericht')
