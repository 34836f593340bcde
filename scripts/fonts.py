"""Make the body font's TTFs from the Fontsource npm package of Atkinson Hyperlegible Next.

Maintainers run it after changing VERSION:

    python scripts/fonts.py                  # fetches the package with `npm pack`
    python scripts/fonts.py path/to/package  # or uses an unpacked one (its package.json)

Fontsource splits each weight into a `latin` and a `latin-ext` WOFF2; this merges the two of
each weight the pages use (regular 400 and bold 700; they have no italics) into one TTF, so a
Welsh ŵ comes from the same family as an English w, and copies the font's licence beside them.
It writes src/leaflet/data/fonts/: the build reads only those files and never needs npm.
The same package gives the same bytes (the timestamps are the package's own).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "leaflet" / "data" / "fonts"
NPM_NAME = "@fontsource/atkinson-hyperlegible-next"
VERSION = "5.3.0"
WEIGHTS = {400: "AtkinsonHyperlegibleNext-Regular.ttf", 700: "AtkinsonHyperlegibleNext-Bold.ttf"}
SUBSETS = ("latin", "latin-ext")


def main(arguments: list[str]) -> int:
    if arguments:
        write_fonts(Path(arguments[0]))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["npm", "pack", "--silent", f"{NPM_NAME}@{VERSION}"], cwd=folder,
                       check=True, stdout=subprocess.DEVNULL)
        (tarball,) = Path(folder).glob("*.tgz")
        with tarfile.open(tarball) as archive:
            archive.extractall(folder, filter="data")
        write_fonts(Path(folder) / "package")
    return 0


def write_fonts(package: Path) -> None:
    found = json.loads((package / "package.json").read_text(encoding="utf-8"))
    if (found.get("name"), found.get("version")) != (NPM_NAME, VERSION):
        sys.exit(f"{package}: expected {NPM_NAME} {VERSION}, found "
                 f"{found.get('name')} {found.get('version')}")
    OUT.mkdir(parents=True, exist_ok=True)
    for weight, name in WEIGHTS.items():
        parts = [package / "files" / f"atkinson-hyperlegible-next-{subset}-{weight}-normal.woff2"
                 for subset in SUBSETS]
        merged(parts).save(OUT / name, reorderTables=False)
        print(f"wrote {(OUT / name).relative_to(ROOT)}")
    shutil.copyfile(package / "LICENSE", OUT / "OFL.txt")
    print(f"wrote {(OUT / 'OFL.txt').relative_to(ROOT)}")


def merged(parts: list[Path]):
    """One TrueType font of the WOFF2 `parts` (the first part wins a shared character)."""
    from fontTools.merge import Merger
    from fontTools.ttLib import TTFont

    with tempfile.TemporaryDirectory() as folder:
        plain = []
        for number, part in enumerate(parts):
            with TTFont(part) as font:
                font.flavor = None  # fontTools merges sfnt files, not WOFF2
                plain.append(Path(folder) / f"{number}.ttf")
                font.save(plain[-1])
        font = Merger().merge(plain)
    with TTFont(parts[0]) as first:
        font["head"].created, font["head"].modified = first["head"].created, first["head"].modified
    font.recalcTimestamp = False
    return font


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
