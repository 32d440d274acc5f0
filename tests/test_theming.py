"""The gemeente's look (dashboard/theming): token values parsed and written anew, a token package
read and resolved, the build step and its refusals, the themes in assets/themes/, THEMA.

The Den Haag package's token file is kept in tests/theme_packages/denhaag (EUPL-1.2, as published on
the npm registry), so the committed assets/themes/denhaag.css is checked to be what the build makes of it.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from dashboard.theming import active_theme, build, css_values, stylesheet, token_source, tokens
from tests import warm_python

ROOT = Path(__file__).resolve().parent.parent
DENHAAG = ROOT / "tests" / "theme_packages" / "denhaag"
PRODUCT_CSS = ROOT / "assets" / "10_jeugdmonitor.css"


# --- values -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("#0B4F8A", "#0b4f8a"), ("#fff", "#ffffff"), ("#ffff", "#ffffff"), ("#0b4f8aff", "#0b4f8a"),
    ("rgb(11, 79, 138)", "#0b4f8a"), ("rgb(11 79 138)", "#0b4f8a"), ("rgba(11,79,138,1)", "#0b4f8a"),
    ("rgb(100% 0% 0% / 1)", "#ff0000"), ("hsl(120, 100%, 25%)", "#008000"), ("hsl(120deg 100% 25%)", "#008000"),
    ("hsla(0, 0%, 18%, 1)", "#2e2e2e"), ("hsl(0 0% 100%)", "#ffffff"), ("White", "#ffffff"), ("black", "#000000"),
])
def test_colours_are_read_in_every_syntax_a_package_uses_and_written_as_hex(text, expected):
    assert css_values.parse_colour(text).hex == expected


@pytest.mark.parametrize("text, says", [
    ("#0b4f8a80", "doorschijnend"), ("rgba(0, 0, 0, .5)", "doorschijnend"), ("rgb(0 0 0 / 50%)", "doorschijnend"),
    ("transparent", "geen kleur"), ("red; } body { display: none", "geen kleur"), ("#fff;}</style><script>", "geen kleur"),
    ("rgb(300, 0, 0)", "tussen 0 en 255"), ("hsl(0, 120%, 50%)", "tussen 0 en 100"), ("rgb(1, 2)", "drie waarden"),
    ("rgb(a, b, c)", "geen getal"), ("var(--x)", "geen kleur"), ("#" + "f" * 300, "te lang"),
])
def test_a_colour_the_product_cannot_use_is_refused_in_dutch(text, says):
    with pytest.raises(css_values.ValueProblem) as caught:
        css_values.parse_colour(text)
    assert says in str(caught.value)


def test_font_families_are_written_anew_with_a_generic_family_at_the_end():
    assert css_values.parse_font_family("'Noto Sans', sans-serif") == '"Noto Sans", sans-serif'
    assert css_values.parse_font_family('"TheSans"') == '"TheSans", sans-serif'
    assert css_values.parse_font_family("system-ui, -apple-system, Segoe UI, Roboto") == \
        'system-ui, -apple-system, "Segoe UI", Roboto'  # system-ui is a generic family already
    for bad in ('"A"; } body { color: red', "'Noto</style>'", '"open', "Arial,,serif", "", "a{b}"):
        with pytest.raises(css_values.ValueProblem):
            css_values.parse_font_family(bad)


def test_lengths_and_line_heights_are_written_anew_and_bounded():
    assert css_values.parse_length("1.125rem") == "1.125rem"
    assert css_values.parse_length(" 16px ") == "16px"
    assert css_values.parse_length("0", allow_zero=True) == "0px"
    assert css_values.parse_number("1.50", 1, 3) == "1.5"
    for bad in ("0", "-1px", "1vw", "calc(1rem + 1px)", "1rem;}", "9999px", "12"):
        with pytest.raises(css_values.ValueProblem):
            css_values.parse_length(bad)
    for bad in ("0.5", "normal", "1.5;}"):
        with pytest.raises(css_values.ValueProblem):
            css_values.parse_number(bad, 1, 3)


def test_contrast_is_wcag_s_ratio():
    white, black = css_values.parse_colour("#fff"), css_values.parse_colour("#000")
    assert css_values.contrast_ratio(white, black) == pytest.approx(21)
    assert css_values.contrast_ratio(white, white) == pytest.approx(1)
    assert css_values.contrast_ratio(css_values.parse_colour("#767676"), white) == pytest.approx(4.54, abs=0.01)


# --- reading a package --------------------------------------------------------------------------

def test_css_custom_properties_are_read_from_any_rule_first_value_first():
    css = """/* --commented-out: red; */
    .gemeente-theme { --a-color: #111; --b-color: var(--a-color); --empty: ; }
    @media (prefers-color-scheme: dark) { .gemeente-theme { --a-color: #eee; } }"""
    properties = token_source.properties_from_css(css)
    assert "--commented-out" not in properties
    assert token_source.resolve(properties, "--b-color") == "#111"
    assert token_source.resolve(properties, "--empty") is None
    assert token_source.resolve(properties, "--missing") is None


def test_var_references_follow_fallbacks_and_refuse_loops():
    properties = {"--a": "var(--missing, var(--b))", "--b": "hsl(0 0% 18%)", "--c": "var(--nowhere)",
                  "--loop-1": "var(--loop-2)", "--loop-2": "var(--loop-1)"}
    assert token_source.resolve(properties, "--a") == "hsl(0 0% 18%)"
    assert token_source.resolve(properties, "--c") is None
    with pytest.raises(token_source.SourceProblem, match="verwijst .* naar zichzelf"):
        token_source.resolve(properties, "--loop-1")


def test_a_style_dictionary_tokens_json_is_read_with_its_references(tmp_path):
    path = tmp_path / "tokens.json"
    path.write_text(json.dumps({"gemeente": {"blauw": {"$value": "#0b4f8a", "$type": "color"}},
                                "basis": {"color": {"accent-1": {"color-default": {"value": "{gemeente.blauw}"}}}}}))
    properties = token_source.read_properties(path)
    assert token_source.resolve(properties, "--basis-color-accent-1-color-default") == "#0b4f8a"


@pytest.mark.parametrize("content, says", [
    (None, "bestaat niet"), ("{", "geen geldige JSON"), ("[]", "JSON-object"), ('{"a": {"b": 1}}', "bevat geen tokens"),
])
def test_a_source_that_cannot_be_read_says_why(tmp_path, content, says):
    path = tmp_path / "tokens.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(token_source.SourceProblem, match=says):
        token_source.read_source(path)


def test_a_package_folder_is_read_through_its_package_json(tmp_path):
    source = token_source.read_source(DENHAAG)
    assert source.package == "@gemeente-denhaag/design-tokens-components@4.1.0" and source.licence == "EUPL-1.2"
    assert source.path == DENHAAG / "dist" / "theme" / "index.css"
    with pytest.raises(token_source.SourceProblem, match="geen tokenbestand gevonden"):
        token_source.read_source(tmp_path)


# --- the themes ---------------------------------------------------------------------------------

def test_the_default_theme_is_the_tokens_huizen_values_and_meets_aa():
    assert (stylesheet.THEMES_DIR / "huizen.css").read_text(encoding="utf-8") == build.default_stylesheet()
    values = stylesheet.huizen_values()
    assert {name: css_values.canonical(tokens.BY_NAME[name].kind, v) for name, v in values.items()} == values
    assert build.contrast_problems(values) == []


def test_the_den_haag_theme_is_what_the_build_makes_of_the_published_package():
    built, text = build.build(DENHAAG, "denhaag")
    assert (stylesheet.THEMES_DIR / "denhaag.css").read_text(encoding="utf-8") == text
    assert built.values["--nl-link-color"] == "#1260a1"          # --utrecht-link-color: hsl(207 80% 35%)
    assert built.origin["--nl-link-color"] == "eigen naam"       # the package has --nl-link-color itself
    assert built.origin["--utrecht-page-header-background-color"] == "zelfde als --basis-color-default-bg-document"
    assert built.values["--basis-text-font-family-default"] == '"TheSans", sans-serif'


def test_every_variable_the_product_stylesheet_reads_is_defined_by_every_theme():
    css = PRODUCT_CSS.read_text(encoding="utf-8")
    used = set(re.findall(r"var\((--[a-z0-9-]+)", css)) - {"--dia-schaal"}  # set by 30_presentatie.js
    assert len(used) > 25
    for name in stylesheet.available():
        defined = token_source.properties_from_css((stylesheet.THEMES_DIR / f"{name}.css").read_text(encoding="utf-8"))
        assert used - {n for n in used if n.startswith("--bs-")} <= set(defined), name
        assert set(tokens.BY_NAME) <= set(defined)


def test_the_product_stylesheet_takes_its_colours_from_the_tokens():
    """Above the presentation (which mirrors the PowerPoint's fixed colours), no literal colour but
    the black the buttons' hover is shaded with."""
    screens = PRODUCT_CSS.read_text(encoding="utf-8").split("/* Presentation mode")[0]
    literals = re.findall(r"#[0-9a-fA-F]{3,8}\b|rgba?\(|hsla?\(", re.sub(r"/\*.*?\*/", "", screens, flags=re.S))
    assert set(literals) == {"#000"}


# --- the build step -----------------------------------------------------------------------------

def package(folder: Path, **overrides: str) -> Path:
    """A small package: the Huizen values under their own names, with `overrides` (name → value;
    an empty value leaves the token out)."""
    values = {**stylesheet.huizen_values(), **{f"--{k.replace('_', '-')}": v for k, v in overrides.items()}}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "package.json").write_text(json.dumps({"name": "@gemeente-test/tokens", "version": "1.0.0",
                                                     "license": "EUPL-1.2"}))
    (folder / "dist").mkdir(exist_ok=True)
    (folder / "dist" / "index.css").write_text(
        ":root {\n" + "".join(f"  {k}: {v};\n" for k, v in values.items() if v) + "}\n")
    return folder


def run(argv, capsys) -> tuple[int, str, str]:
    code = build.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_build_writes_the_theme_and_says_where_each_token_came_from(tmp_path, capsys):
    source = package(tmp_path / "pakket", basis_color_default_color_document="",
                     utrecht_document_color="rgb(20 20 20)")
    code, out, err = run([source, "--naam", "testgemeente", "--map", tmp_path / "themas"], capsys)
    assert (code, err) == (0, "")
    written = tmp_path / "themas" / "testgemeente.css"
    assert "--basis-color-default-color-document: uit --utrecht-document-color" in out
    assert "THEMA=testgemeente" in out
    values = stylesheet.read_theme(written)
    assert values["--basis-color-default-color-document"] == "#141414"
    assert "@gemeente-test/tokens@1.0.0 (EUPL-1.2)" in written.read_text()


@pytest.mark.parametrize("overrides, says", [
    ({"basis_color_default_color_document": ""}, "token voor tekstkleur ontbreekt (gezocht: --basis-color-default-color-document, "
                                                 "--utrecht-document-color)"),
    ({"basis_color_default_color_document": "#aaaaaa"}, "te weinig contrast: tekstkleur (#aaaaaa) op achtergrond van "
                                                        "kaarten en vlakken (#ffffff) is 2.32:1, WCAG 2.1 AA vraagt 4.5:1"),
    ({"nl_link_color": "red } body { display: none"}, "--nl-link-color (links, omlijnde knoppen en het actieve tabblad): "),
    ({"basis_text_font_family_default": '"Evil</style>"'}, "tekens die niet mogen"),
    ({"basis_text_font_size_md": "1vw"}, "geen lengte in px, rem of em"),
    ({"nl_link_color": "var(--nl-link-hover-color)", "nl_link_hover_color": "var(--nl-link-color)"}, "naar zichzelf"),
])
def test_a_package_the_product_cannot_use_writes_nothing(tmp_path, capsys, overrides, says):
    source = package(tmp_path / "pakket", **overrides)
    code, out, err = run([source, "--naam", "testgemeente", "--map", tmp_path / "themas"], capsys)
    assert code == 2 and out == ""
    assert says in err and err.rstrip().endswith("Niets geschreven.")
    assert all(line.startswith("fout: ") for line in err.splitlines()[:-1])
    assert not (tmp_path / "themas").exists()


@pytest.mark.parametrize("argv, says", [
    (["--naam", "x"], "geef de map van het tokenpakket"),
    ([DENHAAG], "geef de naam van het thema met --naam"),
    ([DENHAAG, "--naam", "Den Haag"], "gebruik kleine letters"),
    ([DENHAAG, "--naam", "../etc"], "gebruik kleine letters"),
    ([DENHAAG, "--naam", "huizen"], "dat is het standaardthema"),
    (["/bestaat/niet", "--naam", "x"], "/bestaat/niet: bestaat niet"),
    ([DENHAAG, "--naam", "x", "--kleur", "rood"], "fout: onbekende argumenten: --kleur rood (zie: python -m dashboard.theming --help)"),
])
def test_a_wrong_command_says_so_in_dutch_and_writes_nothing(tmp_path, capsys, argv, says):
    code, out, err = run([*argv, "--map", tmp_path / "themas"], capsys)
    assert code == 2 and says in err and "Niets geschreven." in err and "Traceback" not in err
    assert not (tmp_path / "themas").exists()


def test_the_real_command_builds_the_den_haag_theme(tmp_path):
    done = warm_python.run([sys.executable, "-m", "dashboard.theming", str(DENHAAG), "--naam", "denhaag",
                           "--map", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "denhaag.css").read_text() == (stylesheet.THEMES_DIR / "denhaag.css").read_text()


# --- THEMA --------------------------------------------------------------------------------------

def test_thema_chooses_a_theme_file_and_refuses_an_unknown_or_broken_one(tmp_path):
    assert active_theme.load(None).name == "huizen"
    chosen = active_theme.load(" denhaag ")
    assert chosen.values["--nl-link-color"] == "#1260a1"
    assert re.fullmatch(r"/assets/themes/denhaag\.css\?v=[0-9a-f]{12}", chosen.href)
    for setting in ("paars", "../huizen", "Huizen"):
        with pytest.raises(active_theme.ThemeSettingError, match="geen thema met die naam .*beschikbaar: denhaag, huizen"):
            active_theme.load(setting)
    (tmp_path / "kapot.css").write_text(":root { --nl-link-color: #0b4f8a; }")
    with pytest.raises(active_theme.ThemeSettingError, match="kapot.css is geen bruikbaar thema: "
                                                             "--basis-color-default-bg-document ontbreekt"):
        active_theme.load("kapot", tmp_path)


def test_the_documentation_lists_every_token():
    doc = (ROOT / "docs" / "theming.md").read_text(encoding="utf-8")
    for token in tokens.TOKENS:
        assert f"| `{token.name}` | {token.role} | `{token.huizen}` |" in doc, token.name
