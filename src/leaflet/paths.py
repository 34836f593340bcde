"""What ships inside the package: templates, default styles, the picture index, the tool's labels."""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
STYLES = PACKAGE / "styles"  # the default stylesheets; a project's styles/ may replace each
TEMPLATES = PACKAGE / "templates"
PICTURE_INDEX = PACKAGE / "data" / "pictures.yaml"  # plain names for OpenMoji pictures
EASY_READ_LIMITS = PACKAGE / "data" / "easy-read-limits.toml"  # words and sentences, by language
LABELS = PACKAGE / "locales"  # the tool's own labels, the `leaflet` gettext domain
NEW_PROJECT = PACKAGE / "data" / "new"  # what `leaflet new` copies
