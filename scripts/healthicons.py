"""Copy the Health Icons that the picture index names into the package, and no others.

Maintainers run it after naming a new `healthicons:` picture in src/leaflet/data/pictures.yaml:

    npm ci                      # brings @iconify-json/healthicons (package.json pins it)
    python scripts/healthicons.py

It writes src/leaflet/data/healthicons/<icon>.svg for each icon the index uses (in the text
colour, with the margin that makes a glyph as big on the page as an OpenMoji picture), removes
the icons the index no longer uses and writes the folder's README.md (the credit and the list).
The build reads only those files: it never needs npm.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from xml.sax.saxutils import quoteattr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from leaflet.paths import PICTURE_INDEX  # noqa: E402
from leaflet.pictures import HEALTHICONS, HEALTHICONS_DIR, healthicons_path, picture_index  # noqa: E402

PACKAGE = ROOT / "node_modules" / "@iconify-json" / "healthicons"
COLOUR = "#1a1a1a"  # the text colour: 17:1 on white
# A glyph fills about 80% of its 48-unit square and an OpenMoji picture about 73% of its own:
# this margin (in the glyph's units, on each side) brings the glyph down to the same size.
MARGIN = 2.5


def main() -> int:
    if not (PACKAGE / "icons.json").is_file():
        print(f"no {PACKAGE.relative_to(ROOT)}: run npm ci first", file=sys.stderr)
        return 1
    icons = json.loads((PACKAGE / "icons.json").read_text(encoding="utf-8"))
    info = json.loads((PACKAGE / "info.json").read_text(encoding="utf-8"))
    version = json.loads((PACKAGE / "package.json").read_text(encoding="utf-8"))["version"]
    used = sorted({entry.code for entry in picture_index(PICTURE_INDEX).values()
                   if entry.source == HEALTHICONS})
    missing = [name for name in used if _icon(icons, name) is None]
    if missing:
        print(f"not in Health Icons {info['version']}: {', '.join(missing)}", file=sys.stderr)
        return 1
    HEALTHICONS_DIR.mkdir(parents=True, exist_ok=True)
    for old in HEALTHICONS_DIR.glob("*.svg"):
        if old.stem not in used:
            old.unlink()
    for name in used:
        healthicons_path(name).write_text(svg(icons, name), encoding="utf-8")
    (HEALTHICONS_DIR / "README.md").write_text(readme(info, version, used), encoding="utf-8")
    print(f"{len(used)} icons in {HEALTHICONS_DIR.relative_to(ROOT)}")
    return 0


def _icon(icons: dict, name: str) -> dict | None:
    """An icon by name, an alias resolved to its parent (an alias's own changes: none used)."""
    if name in icons["icons"]:
        return icons["icons"][name]
    alias = icons.get("aliases", {}).get(name)
    return _icon(icons, alias["parent"]) if alias else None


def svg(icons: dict, name: str) -> str:
    """A standalone SVG of the icon, in COLOUR, with MARGIN around its square."""
    icon = _icon(icons, name)
    width = icon.get("width", icons.get("width", 24))
    height = icon.get("height", icons.get("height", 24))
    box = f"{-MARGIN:g} {-MARGIN:g} {width + 2 * MARGIN:g} {height + 2 * MARGIN:g}"
    body = icon["body"].replace('"currentColor"', quoteattr(COLOUR))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{box}" width="{width}" '
            f'height="{height}">\n<!-- Health Icons: {name}. MIT licence, see LICENSE. -->\n'
            f'{body}\n</svg>\n')


def readme(info: dict, version: str, used: list[str]) -> str:
    author = info["author"]
    lines = [
        "# Health Icons",
        "",
        f"Pictures of the easy-read version from [Health Icons](https://healthicons.org/) "
        f"{info['version']} by {author['name']} ({author['url']}), under the MIT licence "
        "(LICENSE, beside this file). Every easy-read output that shows one credits it.",
        "",
        f"Copied from the npm package @iconify-json/healthicons {version} by "
        "scripts/healthicons.py: only the icons that src/leaflet/data/pictures.yaml names, "
        f"each in {COLOUR} with a margin of {MARGIN:g} units around its square.",
        "",
        *(f"- {name}" for name in used),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
