"""Where the project's own files are: styles, locales and pictures beside the package."""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
PROJECT = PACKAGE.parents[1]
STYLES = PROJECT / "styles"
LOCALES = PROJECT / "locales"
SOURCE = PROJECT / "source"
