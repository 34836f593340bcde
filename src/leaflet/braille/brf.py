"""Unicode braille to Braille ASCII, the BRF encoding that embossers and braille displays read."""

from __future__ import annotations

from ..errors import RenderError

# North American Braille ASCII: the character for each 6-dot pattern, indexed by its dot bits
# (dot 1 = 1, dot 2 = 2, ... dot 6 = 32), i.e. by the offset from U+2800.
BRAILLE_ASCII = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="


def encode(line: str) -> str:
    """A line of Unicode braille (blank cells as spaces or U+2800) in Braille ASCII."""
    characters = []
    for cell in line:
        dots = 0 if cell == " " else ord(cell) - 0x2800
        if not 0 <= dots < 64:
            raise RenderError(f"cell {cell!r} (U+{ord(cell):04X}) uses dots 7 or 8, which a BRF "
                              f"file cannot hold; use a 6-dot braille table")
        characters.append(BRAILLE_ASCII[dots])
    return "".join(characters)


def six_dot(braille):
    """`braille` with 8-dot computer-braille symbols in their 6-dot form, for an embosser.

    Some tables write e-mail and web addresses in 8-dot computer braille (cy-cy-g1.utb: @ is
    dots 4-7). For ASCII symbols, dots 7 and 8 only tell them from their lower-case twins; the
    6-dot Braille ASCII form is the same cell without them. Anything else cannot be embossed.
    """
    from .louis import Braille

    if all(ord(cell) < 0x2840 for cell in braille.cells):
        return braille
    cells = []
    for cell, source in zip(braille.cells, braille.sources):
        if ord(cell) >= 0x2840:
            character = braille.text[source]
            if not (character.isascii() and not character.isalnum()):
                raise RenderError(f"'{character}' needs dots 7 or 8 in braille, which a BRF file "
                                  f"cannot hold, in: {braille.text!r}")
            cell = chr(0x2800 + (ord(cell) - 0x2800) % 64)
        cells.append(cell)
    return Braille(braille.text, "".join(cells), braille.sources)
