"""Where the project's own files are: styles, locales and pictures beside the package."""

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
PROJECT = PACKAGE.parents[1]
STYLES = PROJECT / "styles"
SOURCE = PROJECT / "source"
# The gettext catalogues; LEAFLET_LOCALES names another folder (a clinic's own, or a test's).
LOCALES = Path(os.environ.get("LEAFLET_LOCALES") or PROJECT / "locales").resolve()
