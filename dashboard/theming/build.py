"""The build step: a gemeente's NL Design System token package → the product's theme stylesheet.

    python -m dashboard.theming node_modules/@gemeente-denhaag/design-tokens-components --naam denhaag

reads the package's tokens (token_source), takes every token the product needs (tokens.TOKENS: its
own name, else an alternative, else its fallback token), checks each value (css_values) and the
contrast of every pair of colours the product shows together (tokens.CONTRAST_PAIRS, WCAG 2.1 AA),
and writes assets/themes/NAAM.css. On any problem it prints every problem in Dutch, exits with 2
and writes nothing. THEMA=NAAM then chooses the theme (dashboard/theming/active_theme.py).
"""
from __future__ import annotations

import argparse
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.theming import css_values, stylesheet, tokens
from dashboard.theming.token_source import SourceProblem, TokenSource, read_source, resolve
from data.cli_errors import dutch_argparse_message, os_reason, run_command

COMMAND = "python -m dashboard.theming"


class BuildProblem(ValueError):
    """Everything wrong with a package, one Dutch line each (data.cli_errors.ReportsProblems)."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems

    def report_lines(self) -> list[str]:
        return [f"fout: {problem}" for problem in self.problems] + ["Niets geschreven."]


@dataclass
class BuiltTheme:
    values: dict[str, str]                    # token → canonical value
    origin: dict[str, str] = field(default_factory=dict)  # token → where the value came from


def take_tokens(source: TokenSource) -> BuiltTheme:
    """Every token's value from the source, checked; BuildProblem lists all that are missing or wrong."""
    built, problems = BuiltTheme({}), []
    for token in tokens.TOKENS:
        found = _first_defined(source.properties, (token.name, *token.alternatives))
        if found is None:
            if token.fallback and token.fallback in built.values:
                built.values[token.name] = built.values[token.fallback]
                built.origin[token.name] = f"zelfde als {token.fallback}"
            elif token.fallback:
                continue  # its fallback is missing or wrong itself: reported there
            else:
                names = ", ".join((token.name, *token.alternatives))
                problems.append(f"token voor {token.role} ontbreekt (gezocht: {names})")
            continue
        name, raw = found
        try:
            built.values[token.name] = css_values.canonical(token.kind, raw)
        except css_values.ValueProblem as exc:
            problems.append(f"{name} ({token.role}): {exc}")
            continue
        built.origin[token.name] = "eigen naam" if name == token.name else f"uit {name}"
    if problems:
        raise BuildProblem(problems)
    return built


def _first_defined(properties: dict[str, str], names: tuple[str, ...]) -> tuple[str, str] | None:
    for name in names:
        try:
            value = resolve(properties, name)
        except SourceProblem as exc:
            raise BuildProblem([str(exc)]) from None
        if value is not None:
            return name, value
    return None


def contrast_problems(values: dict[str, str]) -> list[str]:
    """Every pair of CONTRAST_PAIRS below its ratio, in Dutch."""
    problems = []
    for fore, back, needed in tokens.CONTRAST_PAIRS:
        ratio = css_values.contrast_ratio(css_values.parse_colour(values[fore]), css_values.parse_colour(values[back]))
        if ratio < needed:
            problems.append(f"te weinig contrast: {tokens.BY_NAME[fore].role} ({values[fore]}) op "
                            f"{tokens.BY_NAME[back].role} ({values[back]}) is {ratio:.2f}:1, "
                            f"WCAG 2.1 AA vraagt {needed:g}:1")
    return problems


def build(source_path: Path, name: str) -> tuple[BuiltTheme, str]:
    """The checked theme and its stylesheet's text; BuildProblem when the package will not do."""
    try:
        source = read_source(source_path)
    except SourceProblem as exc:
        raise BuildProblem([str(exc)]) from None
    built = take_tokens(source)
    problems = contrast_problems(built.values)
    if problems:
        raise BuildProblem(problems)
    text = stylesheet.render(name, built.values, source.package, source.licence,
                             command=f"{COMMAND} PAKKET --naam {name}")
    return built, text


def write_atomically(path: Path, text: str) -> None:
    """The whole file or none of it: a running app never reads half a theme."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def default_stylesheet() -> str:
    """The default theme's file (assets/themes/huizen.css), from the tokens' Huizen values."""
    return stylesheet.render(stylesheet.DEFAULT, stylesheet.huizen_values(),
                             command=f"{COMMAND} --standaardthema")


class _DutchParser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own refusals: one Dutch line, like every problem
        raise BuildProblem([f"{dutch_argparse_message(message)} (zie: {COMMAND} --help)"])


def parser() -> argparse.ArgumentParser:
    p = _DutchParser(prog=COMMAND,
                     description="Maak het thema van een gemeente uit haar NL Design System-tokenpakket.")
    p.add_argument("bron", nargs="?", help="de map van het geïnstalleerde npm-pakket, of een .css- of .json-tokenbestand")
    p.add_argument("--naam", help="de naam van het thema (kleine letters, cijfers, -): kies het met THEMA=NAAM")
    p.add_argument("--map", type=Path, default=stylesheet.THEMES_DIR, help="waar het thema komt (standaard assets/themes)")
    p.add_argument("--standaardthema", action="store_true", help="schrijf het standaardthema (huizen) opnieuw")
    return p


def main(argv: list[str] | None = None) -> int:
    """The command line: every problem as `fout: …` and `Niets geschreven.`, exit 2 (data.cli_errors)."""
    return run_command(lambda: _run(parser().parse_args(argv)))


def _run(args: argparse.Namespace) -> int:
    if args.standaardthema:
        target = stylesheet.theme_path(stylesheet.DEFAULT, args.map)
        _write(target, default_stylesheet())
        print(f"Standaardthema geschreven naar {target}.")
        return 0
    name = _checked_name(args.naam, args.bron)
    built, text = build(Path(args.bron), name)
    target = stylesheet.theme_path(name, args.map)
    _write(target, text)
    borrowed = {t: o for t, o in built.origin.items() if o != "eigen naam"}
    print(f"Thema {name} geschreven naar {target} ({len(built.values)} tokens; {len(borrowed)} onder een "
          "andere NL Design System-naam gevonden of van een ander token overgenomen):")
    for token_name, origin in borrowed.items():
        print(f"  {token_name}: {origin}")
    print(f"Kies het met THEMA={name} en start de Jeugdmonitor opnieuw.")
    return 0


def _write(target: Path, text: str) -> None:
    try:
        write_atomically(target, text)
    except OSError as exc:
        raise BuildProblem([f"kan {target} niet schrijven ({os_reason(exc)})"]) from None


def _checked_name(name: str | None, source: str | None) -> str:
    problems = []
    if not source:
        problems.append("geef de map van het tokenpakket (of een .css- of .json-bestand)")
    if not name:
        problems.append("geef de naam van het thema met --naam")
    elif not stylesheet.NAME.fullmatch(name):
        problems.append(f"--naam {name[:40]!r}: gebruik kleine letters, cijfers en -, beginnend met een letter (hoogstens 40)")
    elif name == stylesheet.DEFAULT:
        problems.append(f"--naam {name}: dat is het standaardthema; kies een andere naam")
    if problems:
        raise BuildProblem(problems)
    return name
