"""The design tokens the product's stylesheet reads: NL Design System names, what the product uses
each for, the default (Huizen) value, and where else a gemeente's package may hold it.

Every name is one that NL Design System publishes (not invented here):
- `--basis-*`: the basis theme's common layer (nl-design-system/documentatie, docs/basisthema:
  colours `--basis-color-{default,accent-1,positive,warning,negative,…}-{bg,border,color}-{document,
  subtle,default,…}`, text `--basis-text-font-{family,size}-*`, `--basis-heading-*`, spacing
  `--basis-space-{block,inline}-*`, `--basis-focus-outline-color`), as themes built on it publish
  them (e.g. @nl-design-system-unstable/voorbeeld-design-tokens, dist/theme.css).
- `--nl-*`: the NL Design System candidate components (nl-design-system/candidate: link-css reads
  `--nl-link-color` and `--nl-link-hover-color`; button-css `--nl-button-primary-*`; heading-css
  `--nl-heading-level-N-*`).
- `--utrecht-*`: the community components of nl-design-system/utrecht (document, page-header,
  page-footer, link, button, heading), which most gemeenten's packages still carry
  (e.g. @gemeente-denhaag/design-tokens-components, dist/theme/index.css).

A package need not have the product's own name for a token: the build looks for the name itself,
then for each alternative (the same role in another NL Design System layer), then takes the value
of the `fallback` token (a role the theme may leave to another: a header without its own colours
is drawn in the document's). A token with none of these is missing, and the build refuses.
"""
from __future__ import annotations

from dataclasses import dataclass

COLOUR, LENGTH, SPACE, LINE_HEIGHT, FONT_FAMILY = "kleur", "lengte", "afstand", "regelafstand", "lettertype"

SYSTEM_FONTS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'


@dataclass(frozen=True)
class Token:
    name: str            # the custom property the product's stylesheet reads
    kind: str            # COLOUR, LENGTH, SPACE, LINE_HEIGHT or FONT_FAMILY
    role: str            # what the product uses it for (Dutch: the build's messages name it)
    huizen: str          # the default theme's value (today's Huizen look), canonical
    alternatives: tuple[str, ...] = ()
    fallback: str | None = None  # another token of this list whose value it takes last


TOKENS: tuple[Token, ...] = (
    # the document: panels (cards, bands, tables) on a slightly tinted page
    Token("--basis-color-default-bg-document", COLOUR, "achtergrond van kaarten en vlakken", "#ffffff",
          ("--utrecht-document-background-color",)),
    Token("--basis-color-default-bg-subtle", COLOUR, "achtergrond van de pagina", "#f5f7fa",
          ("--utrecht-surface-background-color",), fallback="--basis-color-default-bg-document"),
    Token("--basis-color-default-color-document", COLOUR, "tekstkleur", "#212529",
          ("--utrecht-document-color",)),
    Token("--basis-color-default-color-subtle", COLOUR, "tekstkleur van toelichtingen", "#595c5f",
          ("--utrecht-form-field-description-color",), fallback="--basis-color-default-color-document"),
    Token("--basis-color-default-border-subtle", COLOUR, "randen van kaarten en vlakken", "#dee2e6",
          ("--utrecht-separator-color", "--basis-color-default-border-default")),
    Token("--basis-heading-color", COLOUR, "kleur van koppen", "#212529",
          ("--utrecht-heading-color", "--nl-heading-level-1-color"),
          fallback="--basis-color-default-color-document"),
    Token("--basis-color-accent-1-color-document", COLOUR, "kleur van de grote KPI-waarden", "#0b2f55",
          (), fallback="--basis-heading-color"),
    # the page header (menu bar) and footer
    Token("--utrecht-page-header-background-color", COLOUR, "achtergrond van de menubalk", "#0b4f8a",
          (), fallback="--basis-color-default-bg-document"),
    Token("--utrecht-page-header-color", COLOUR, "tekst in de menubalk", "#ffffff",
          (), fallback="--basis-color-default-color-document"),
    Token("--utrecht-page-footer-background-color", COLOUR, "achtergrond van de voettekst", "#ffffff",
          (), fallback="--basis-color-default-bg-document"),
    Token("--utrecht-page-footer-color", COLOUR, "tekst van de voettekst", "#595c5f",
          (), fallback="--basis-color-default-color-subtle"),
    # actions
    Token("--nl-link-color", COLOUR, "links, omlijnde knoppen en het actieve tabblad", "#0b4f8a",
          ("--utrecht-link-color", "--basis-color-action-2-color-default")),
    Token("--nl-link-hover-color", COLOUR, "links onder de muis", "#062b4d",
          ("--utrecht-link-hover-color", "--basis-color-action-2-color-hover"), fallback="--nl-link-color"),
    Token("--nl-button-primary-background-color", COLOUR, "achtergrond van hoofdknoppen", "#0d6efd",
          ("--utrecht-button-primary-action-background-color", "--basis-color-action-1-inverse-bg-default")),
    Token("--nl-button-primary-color", COLOUR, "tekst van hoofdknoppen", "#ffffff",
          ("--utrecht-button-primary-action-color", "--utrecht-button-color",
           "--basis-color-action-1-inverse-color-default")),
    Token("--basis-focus-outline-color", COLOUR, "focusrand van het toetsenbord", "#0b4f8a",
          ("--utrecht-focus-outline-color", "--nl-focus-outline-color")),
    Token("--basis-color-accent-1-color-default", COLOUR, "hoofdkleur van de grafieken", "#0b4f8a",
          (), fallback="--nl-link-color"),
    # the programme's statuses (always with an icon and a word: never colour alone)
    Token("--basis-color-positive-color-default", COLOUR, "status ‘op koers’", "#146c2e",
          ("--nl-data-badge-success-color", "--utrecht-alert-ok-color")),
    Token("--basis-color-warning-color-default", COLOUR, "status ‘aandacht’", "#8a5300",
          ("--nl-data-badge-warning-color", "--utrecht-alert-warning-color")),
    Token("--basis-color-negative-color-default", COLOUR, "status ‘achter’", "#b02a37",
          ("--nl-data-badge-error-color", "--utrecht-alert-error-color")),
    Token("--basis-color-warning-border-default", COLOUR, "rand van het signalenvlak", "#b35900",
          ("--utrecht-alert-icon-warning-color",), fallback="--basis-color-warning-color-default"),
    # type
    Token("--basis-text-font-family-default", FONT_FAMILY, "lettertype", SYSTEM_FONTS,
          ("--utrecht-document-font-family", "--nl-paragraph-font-family")),
    Token("--basis-heading-font-family", FONT_FAMILY, "lettertype van koppen", SYSTEM_FONTS,
          ("--utrecht-heading-font-family", "--nl-heading-level-1-font-family"),
          fallback="--basis-text-font-family-default"),
    Token("--basis-text-font-size-md", LENGTH, "lettergrootte", "1rem", ("--utrecht-document-font-size",)),
    Token("--basis-text-line-height-md", LINE_HEIGHT, "regelafstand", "1.5", ("--utrecht-document-line-height",)),
    Token("--nl-heading-level-1-font-size", LENGTH, "grootte van de paginatitel", "1.75rem",
          ("--utrecht-heading-1-font-size", "--basis-text-font-size-3xl")),
    Token("--nl-heading-level-2-font-size", LENGTH, "grootte van tussenkoppen", "1.3rem",
          ("--utrecht-heading-2-font-size", "--basis-text-font-size-2xl")),
    # spacing inside panels
    Token("--basis-space-block-md", SPACE, "ruimte boven en onder in een vlak", "0.75rem",
          ("--utrecht-space-block-md",)),
    Token("--basis-space-inline-md", SPACE, "ruimte links en rechts in een vlak", "1rem",
          ("--utrecht-space-inline-md",)),
)

BY_NAME = {token.name: token for token in TOKENS}

# Colours the product puts on top of each other (links in the menu bar and the footer take the bar's
# and the footer's text colour, underlined), with the contrast WCAG 2.1 AA asks: 4.5:1 for text
# (1.4.3), 3:1 for a focus outline against its background (1.4.11).
TEXT, GRAPHIC = 4.5, 3.0
CONTRAST_PAIRS: tuple[tuple[str, str, float], ...] = tuple(
    (fore, back, ratio)
    for fore, backs, ratio in (
        ("--basis-color-default-color-document", ("--basis-color-default-bg-document", "--basis-color-default-bg-subtle"), TEXT),
        ("--basis-color-default-color-subtle", ("--basis-color-default-bg-document", "--basis-color-default-bg-subtle"), TEXT),
        ("--basis-heading-color", ("--basis-color-default-bg-document", "--basis-color-default-bg-subtle"), TEXT),
        ("--basis-color-accent-1-color-document", ("--basis-color-default-bg-document",), TEXT),
        ("--utrecht-page-header-color", ("--utrecht-page-header-background-color",), TEXT),
        ("--utrecht-page-footer-color", ("--utrecht-page-footer-background-color",), TEXT),
        ("--nl-link-color", ("--basis-color-default-bg-document", "--basis-color-default-bg-subtle"), TEXT),
        ("--nl-link-hover-color", ("--basis-color-default-bg-document", "--basis-color-default-bg-subtle"), TEXT),
        ("--basis-color-default-bg-document", ("--nl-link-color",), TEXT),  # the active tab: white on the link colour
        ("--nl-button-primary-color", ("--nl-button-primary-background-color",), TEXT),
        ("--basis-color-positive-color-default", ("--basis-color-default-bg-document", "--basis-color-default-bg-subtle"), TEXT),
        ("--basis-color-warning-color-default", ("--basis-color-default-bg-document", "--basis-color-default-bg-subtle"), TEXT),
        ("--basis-color-negative-color-default", ("--basis-color-default-bg-document", "--basis-color-default-bg-subtle"), TEXT),
        ("--basis-focus-outline-color", ("--basis-color-default-bg-document", "--basis-color-default-bg-subtle"), GRAPHIC),
        # the charts' bars and lines, and the overview's sparklines, which are text: 4.5:1
        ("--basis-color-accent-1-color-default", ("--basis-color-default-bg-document",), TEXT),
    )
    for back in backs
)
