"""Colour contrast of every foreground/background pair in styles/, computed from the CSS itself.

The stylesheets are parsed with tinycss2 (WeasyPrint's CSS parser), nested @media and @page
blocks included. Without a document there is no telling which element sits on which background,
so the pairing is deliberately conservative:

- a rule that sets both `color` and a background makes that pair (a button's white on blue),
  except on html or body, whose colour every element inherits;
- every other text colour ("free": inherited by whatever is inside) is paired with every
  background in the styles, and with the white canvas;
- every focus outline colour is paired with every background, at 3:1 (WCAG 1.4.11).

Text needs 4.5:1 (WCAG 1.4.3), or 3:1 where the same rule makes it large: at least 18pt, or
14pt and bold. A colour with transparency is composited over the background it is paired with.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import Failure, Result

CANVAS = (1.0, 1.0, 1.0)
ROOT_SELECTORS = {"html", "body", ":root", "html, body"}  # their colour is every element's
KEYWORDS_WITHOUT_COLOUR = {"transparent", "inherit", "initial", "unset", "currentcolor",
                           "revert", "none"}


@dataclass(frozen=True)
class Declared:
    """A colour declared by a rule: where, which property, and whether the text is large."""

    rgba: tuple[float, float, float, float]
    where: str  # "base.css: .notice"
    large: bool = False

    @property
    def hex(self) -> str:
        red, green, blue, alpha = self.rgba
        text = "#" + "".join(f"{round(c * 255):02x}" for c in (red, green, blue))
        return text if alpha >= 1 else f"{text} at {alpha:.0%}"


@dataclass(frozen=True)
class Rule:
    where: str
    colour: Declared | None
    background: Declared | None
    outline: Declared | None


def audit_styles(folder: Path, name: str = "styles/*.css") -> Result:
    """One check per colour pair of every stylesheet in `folder`."""
    result = Result(name)
    rules = [rule for path in sorted(folder.glob("*.css")) for rule in read_rules(path)]
    if not rules:
        result.add("stylesheets found", [f"no stylesheet in {folder}"])
        return result
    for foreground, background, minimum, kind in pairs(rules):
        ratio = contrast(foreground.rgba, background.rgba)
        check = (f"{kind} {foreground.hex} on {background.hex}: {ratio:.1f}:1, needs {minimum}:1")
        problems = [] if ratio >= minimum - 1e-9 else [Failure(
            check, f"{foreground.where} on {background.where} is {ratio:.2f}:1, "
                   f"below {minimum}:1")]
        result.add(check, problems)
    return result


def pairs(rules: list[Rule]):
    """(foreground, background, minimum ratio, kind) for every pair the styles can show."""
    canvas = Declared((*CANVAS, 1.0), "the white page")
    backgrounds = [canvas] + [rule.background for rule in rules if rule.background]
    seen = set()

    def emit(foreground, background, minimum, kind):
        key = (foreground.rgba, background.rgba, minimum, kind)
        if key not in seen:
            seen.add(key)
            yield foreground, background, minimum, kind

    for rule in rules:
        if rule.colour is None:
            continue
        minimum = 3.0 if rule.colour.large else 4.5
        kind = "large text" if rule.colour.large else "text"
        inherited_everywhere = rule.where.split(": ", 1)[1] in ROOT_SELECTORS
        on = [rule.background] if rule.background and not inherited_everywhere else backgrounds
        for background in on:
            yield from emit(rule.colour, background, minimum, kind)
    for rule in rules:
        if rule.outline is not None:
            for background in backgrounds:
                yield from emit(rule.outline, background, 3.0, "focus outline")


def read_rules(path: Path) -> list[Rule]:
    import tinycss2

    sheet = tinycss2.parse_stylesheet(path.read_text(encoding="utf-8"), skip_comments=True,
                                      skip_whitespace=True)
    return list(_rules(sheet, path.name, ""))


def _rules(nodes, file: str, context: str):
    import tinycss2

    for node in nodes:
        if node.type == "qualified-rule":
            selector = tinycss2.serialize(node.prelude).strip()
            yield _rule(tinycss2.parse_blocks_contents(node.content, skip_comments=True,
                                                       skip_whitespace=True),
                        f"{file}: {context}{selector}")
        elif node.type == "at-rule" and node.content is not None:
            name = f"@{node.lower_at_keyword} {tinycss2.serialize(node.prelude).strip()}".strip()
            contents = tinycss2.parse_blocks_contents(node.content, skip_comments=True,
                                                      skip_whitespace=True)
            if node.lower_at_keyword == "media":
                inner = tinycss2.parse_rule_list(node.content, skip_comments=True,
                                                 skip_whitespace=True)
                yield from _rules(inner, file, f"{context}{name} ")
            else:  # @page, a margin box: declarations and nested at-rules
                yield _rule(contents, f"{file}: {context}{name}")
                yield from _rules([c for c in contents if c.type == "at-rule"], file,
                                  f"{context}{name} ")


def _rule(contents, where: str) -> Rule:
    declarations = {node.lower_name: node.value for node in contents
                    if node.type == "declaration"}
    size = _points(declarations.get("font-size"))
    bold = _serialize(declarations.get("font-weight")) in ("bold", "bolder", "700", "800", "900")
    large = size is not None and (size >= 18 or (bold and size >= 14))
    colour = _colour(declarations.get("color"))
    background = _colour(declarations.get("background-color")) or _first_colour(
        declarations.get("background"))
    outline = _colour(declarations.get("outline-color")) or _first_colour(
        declarations.get("outline"))
    return Rule(
        where,
        Declared(colour, where, large) if colour else None,
        Declared(background, where) if background else None,
        Declared(outline, where) if outline else None,
    )


def _serialize(tokens) -> str:
    import tinycss2

    return tinycss2.serialize(tokens).strip().lower() if tokens else ""


def _colour(tokens):
    """The RGBA of a colour value, None for no colour or a keyword that is not one."""
    from tinycss2.color3 import parse_color

    if not tokens:
        return None
    value = [token for token in tokens if token.type not in ("whitespace", "comment")]
    value = [token for token in value
             if not (token.type == "literal" and token.value == "!")
             and not (token.type == "ident" and token.lower_value == "important")]
    if len(value) != 1:
        return None
    if value[0].type == "ident" and value[0].lower_value in KEYWORDS_WITHOUT_COLOUR:
        return None
    parsed = parse_color(value[0])
    if parsed is None or parsed == "currentColor":
        return None
    return tuple(parsed)


def _first_colour(tokens):
    for token in tokens or ():
        if token.type in ("whitespace", "comment"):
            continue
        colour = _colour([token])
        if colour is not None:
            return colour
    return None


def _points(tokens) -> float | None:
    for token in tokens or ():
        if token.type == "dimension":
            unit = token.lower_unit
            factor = {"pt": 1.0, "px": 0.75, "pc": 12.0, "in": 72.0, "mm": 72 / 25.4,
                      "cm": 72 / 2.54}.get(unit)
            return token.value * factor if factor else None
    return None


def relative_luminance(rgb) -> float:
    """WCAG 2.2's relative luminance of an sRGB colour with channels from 0 to 1."""
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in rgb[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(foreground, background) -> float:
    """The contrast ratio of two colours; transparency is composited over the background,
    and a transparent background over the white page."""
    back = _over(background, CANVAS)
    fore = _over(foreground, back)
    lighter, darker = sorted((relative_luminance(fore), relative_luminance(back)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _over(colour, under):
    alpha = colour[3] if len(colour) > 3 else 1.0
    return tuple(alpha * c + (1 - alpha) * u for c, u in zip(colour[:3], under))
