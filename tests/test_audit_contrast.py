"""Colour contrast computed from the CSS: the project's styles pass, low-contrast pairs fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflet.paths import STYLES
from leaflet.audit.contrast import audit_styles, contrast


def test_every_colour_pair_in_styles_passes():
    result = audit_styles(STYLES)
    assert [str(failure) for failure in result.failures] == []
    assert result.run >= 4  # text and link colours on the page, and on the focus highlight
    assert "text #0b4a80 on #ffffff: 9.1:1, needs 4.5:1" in result.checks


@pytest.mark.parametrize("first, second, ratio", [
    ((0, 0, 0, 1), (1, 1, 1, 1), 21.0),
    ((1, 1, 1, 1), (1, 1, 1, 1), 1.0),
    ((0x76 / 255,) * 3 + (1,), (1, 1, 1, 1), 4.54),  # #767676, the lightest grey that passes
    ((0, 0, 0, 0.5), (1, 1, 1, 1), 3.98),  # half-transparent black over white: grey 127.5
])
def test_contrast_ratio_is_wcag_s(first, second, ratio):
    assert contrast(first, second) == pytest.approx(ratio, abs=0.01)


def _styles(tmp_path: Path, css: str) -> dict[str, list[str]]:
    (tmp_path / "test.css").write_text(css)
    result = audit_styles(tmp_path)
    return {check: [f.message for f in failures] for check, failures in result.checks.items()
            if failures}


def test_a_low_contrast_text_colour_fails_on_every_background(tmp_path):
    failed = _styles(tmp_path, "html { color: #1a1a1a; background: #fff; }\n"
                               ".note { background-color: #ffdd00; }\n"
                               ".hint { color: #777777; }\n")
    assert set(failed) == {"text #777777 on #ffffff: 4.5:1, needs 4.5:1",
                           "text #777777 on #ffdd00: 3.3:1, needs 4.5:1"}
    assert failed["text #777777 on #ffffff: 4.5:1, needs 4.5:1"] == [
        "test.css: .hint on the white page is 4.48:1, below 4.5:1"]


def test_large_text_needs_three_to_one(tmp_path):
    assert _styles(tmp_path, "h1 { color: #888888; font-size: 24pt; }") == {}
    assert _styles(tmp_path, "h1 { color: #888888; font-size: 14pt; font-weight: bold; }") == {}
    assert list(_styles(tmp_path, "h1 { color: #888888; font-size: 12pt; }")) == [
        "text #888888 on #ffffff: 3.5:1, needs 4.5:1"]


def test_a_pair_declared_together_is_checked_as_a_pair(tmp_path):
    css = "@media screen { .button { color: #ffffff; background: #0b4a80; } }"
    assert _styles(tmp_path, css) == {}  # white on the button, not on the white page
    failed = _styles(tmp_path, ".button { color: #ffffff; background: #5b9bd5; }")
    assert list(failed) == ["text #ffffff on #5b9bd5: 3.0:1, needs 4.5:1"]


def test_colours_in_page_margin_boxes_and_focus_outlines_are_checked(tmp_path):
    failed = _styles(tmp_path, "@page { @bottom-left { color: #aaaaaa; } }\n"
                               "a:focus { outline: 2px solid #dddddd; }")
    assert set(failed) == {"text #aaaaaa on #ffffff: 2.3:1, needs 4.5:1",
                           "focus outline #dddddd on #ffffff: 1.4:1, needs 3.0:1"}
