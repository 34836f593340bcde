"""Braille: liblouis translation, the language-to-table map, page layout and the BRF encoding."""
