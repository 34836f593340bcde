"""PDF/UA-1: the machine-checkable Matterhorn protocol checks that run here without a JVM.

The maintained checker `pdfua` runs all its rules first. The checks below add what it does not
decide, read with pikepdf (objects, structure tree, content streams) and pdfplumber (where each
character is drawn, and in which marked-content sequence):

- every painting operator is inside marked content that is an artifact or carries an MCID, and
  every MCID is owned by an element reachable from the structure tree root, through the parent
  tree too (Matterhorn checkpoint 01; WeasyPrint's margin boxes break this without our fix);
- running page headers and footers are artifacts (checkpoint 18);
- headings start at H1 and do not skip a level (checkpoint 14);
- lists are L > LI > Lbl/LBody, a sublist in its item's LBody (checkpoint 16), and
  figures have /Alt (checkpoint 13);
- every page has /Tabs /S and every annotation is in the structure tree (checkpoint 28);
- the title is in the XMP metadata as dc:title and shown (checkpoints 06 and 07), and /Lang
  is a language tag that exists (checkpoint 11);
- every font is embedded and has a ToUnicode map (checkpoint 31);
- the text extracts as Unicode, and the structure tree's order is the order on the page.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf  # at import: the build imports this module while its workers render

from ..errors import RenderError
from . import Failure, Result, known_language

PAINTING = {"Tj", "TJ", "'", '"', "Do", "sh", "BI", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*"}
TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
HEADING = re.compile(r"^H([1-6])$")


def refuse_inaccessible(leaflet, files: dict[str, bytes]) -> None:
    """The build's gate: a PDF that fails a structure check is not written.

    The build runs the structure checks (a few milliseconds); the pdfua rules and the layout
    cross-checks, which would add a third to a PDF's build time, run in `leaflet check
    --outputs`, `make audit` and the tests, on every output.
    """
    for suffix, data in files.items():
        name = f"{leaflet.id}{suffix}"
        result = audit_pdf(data, name, full=False)
        if result.failures:
            more = len(result.failures) - 1
            raise RenderError(f"{name} ({leaflet.language}) fails {result.failures[0]}"
                              + (f" (and {more} more)" if more else ""), leaflet.origin)


def audit_pdf(source: bytes | Path, name: str | None = None, full: bool = True) -> Result:
    """Every check of one PDF, given as bytes or a path; `full=False` leaves out the pdfua
    rules and the checks that lay every page out again with pdfplumber (running lines,
    Unicode extraction, reading order), which cross-check what the structure checks enforce."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    result = Result(name or str(source))
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as error:
        result.add("readable PDF", [f"not a readable PDF: {error}"])
        return result
    with pdf:
        if full:
            _pdfua_rules(pdf, result)
        tree = StructureTree(pdf)
        result.add("tagged content is in the structure tree", tree.problems)
        result.add("content is tagged or an artifact", _marked_content(pdf, tree))
        result.add("heading levels start at H1 and do not skip", _headings(tree))
        result.add("lists are L, LI, Lbl and LBody", _lists(tree))
        result.add("figures have /Alt", _figures(tree))
        result.add("link annotations are in the structure tree", _annotations(pdf, tree))
        result.add("pages use the structure tab order (/Tabs /S)", _tabs(pdf))
        result.add("title in the metadata and shown", _title(pdf))
        result.add("document language is a known language tag", _language(pdf))
        result.add("fonts embedded with Unicode maps", _fonts(pdf))
    if full:
        _layout_checks(data, tree, result)
    return result


# -- pdfua ------------------------------------------------------------------------------------
def _pdfua_rules(pdf, result: Result) -> None:
    """Each rule of the pdfua package, as one check; a rule that cannot run is a failure."""
    from pdfua import PdfDocument, default_registry

    document = PdfDocument(pdf, result.output)
    for rule in _registry(default_registry()):
        check = f"pdfua {rule.id} {rule.title}"
        try:
            findings = list(rule.check(document))
        except Exception as error:  # pdfua turns this into a "skipped" rule; we fail it
            result.add(check, [f"the rule could not run: {type(error).__name__}: {error}"])
            continue
        result.add(check, [Failure(check, finding.message, finding.location.page)
                           for finding in findings])


def _registry(registry):
    """pdfua's rules, with its empty-heading rule made to cope with an array /K.

    pdfua 0.1.3's `as_integer` asks a pikepdf Array for `is_integer`, which raises ValueError
    on an array instead of returning a default, so the rule cannot run on WeasyPrint's headings
    (whose /K is an array). The replacement decides the same thing with the same identity.
    """
    from pdfua.rules import RuleRegistry
    from pdfua.rules.structure import EmptyHeadingRule

    class HeadingRule(EmptyHeadingRule):
        @staticmethod
        def _has_text(element) -> bool:
            return HeadingRule._marks(element.obj.get("/K"))

        @staticmethod
        def _marks(kid) -> bool:
            if isinstance(kid, int) and not isinstance(kid, bool):
                return True
            if isinstance(kid, pikepdf.Array):
                return any(HeadingRule._marks(item) for item in kid)
            if isinstance(kid, pikepdf.Dictionary):
                if kid.get("/Type") == pikepdf.Name("/MCR"):
                    return True
                return HeadingRule._marks(kid.get("/K"))
            return False

    return RuleRegistry([HeadingRule() if isinstance(rule, EmptyHeadingRule) else rule
                         for rule in registry])


# -- the structure tree -----------------------------------------------------------------------
@dataclass
class Element:
    role: str
    obj: object
    parent: Element | None
    page: int | None  # 1-based
    kids: list[Element] = field(default_factory=list)
    mcids: list[tuple[int, int]] = field(default_factory=list)  # (page, mcid), in order
    annotations: list[tuple[int, int]] = field(default_factory=list)  # objgen of OBJR targets


class StructureTree:
    """The structure tree as read from the root: elements in order, and the content they own."""

    def __init__(self, pdf):

        self.pdf = pdf
        self.pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, 1)}
        self.problems: list[Failure] = []
        self.elements: list[Element] = []
        self.content: list[tuple[int, int, Element]] = []  # (page, mcid, element) in order
        self.owner: dict[tuple[int, int], Element] = {}
        self.annotations: set[tuple[int, int]] = set()
        self.reached: set[tuple[int, int]] = set()
        root = pdf.Root.get("/StructTreeRoot")
        self.role_map = {}
        if root is None:
            self.problems.append(Failure("tagged content is in the structure tree",
                                         "the document has no structure tree"))
            return
        role_map = root.get("/RoleMap")
        if isinstance(role_map, pikepdf.Dictionary):
            self.role_map = {str(key)[1:]: str(value)[1:] for key, value in role_map.items()}
        self._walk_kids(root.get("/K"), None, None)
        self._check_parent_tree(root)

    def role(self, obj) -> str:
        role = str(obj.get("/S", "/"))[1:]
        seen = set()
        while role in self.role_map and role not in seen:
            seen.add(role)
            role = self.role_map[role]
        return role

    def _page_of(self, obj, inherited):
        page = obj.get("/Pg") if hasattr(obj, "get") else None
        if page is not None:
            return self.pages.get(page.objgen, inherited)
        return inherited

    def _walk_kids(self, kids, parent: Element | None, page):

        if kids is None:
            return
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            if isinstance(kid, int) and not isinstance(kid, bool):
                self._own(parent, page, int(kid))
            elif isinstance(kid, pikepdf.Dictionary):
                kind = kid.get("/Type")
                if kind == pikepdf.Name("/MCR"):
                    self._own(parent, self._page_of(kid, page), int(kid.MCID))
                elif kind == pikepdf.Name("/OBJR"):
                    target = kid.get("/Obj")
                    if target is not None and parent is not None:
                        parent.annotations.append(target.objgen)
                        self.annotations.add(target.objgen)
                else:
                    self._element(kid, parent, page)

    def _element(self, obj, parent: Element | None, page):
        if obj.objgen != (0, 0):
            if obj.objgen in self.reached:
                self.problems.append(Failure("tagged content is in the structure tree",
                                             f"structure element {obj.objgen} occurs twice"))
                return
            self.reached.add(obj.objgen)
        page = self._page_of(obj, page)
        element = Element(self.role(obj), obj, parent, page)
        self.elements.append(element)
        if parent is not None:
            parent.kids.append(element)
        self._walk_kids(obj.get("/K"), element, page)

    def _own(self, element: Element | None, page, mcid: int):
        if element is None or page is None:
            self.problems.append(Failure("tagged content is in the structure tree",
                                         f"marked content {mcid} has no element or page"))
            return
        element.mcids.append((page, mcid))
        self.content.append((page, mcid, element))
        self.owner[(page, mcid)] = element

    def _check_parent_tree(self, root) -> None:
        """Each page's parent-tree entry names, for every MCID, an element of the tree."""
        parent_tree = root.get("/ParentTree")
        numbers = _number_tree(parent_tree) if parent_tree is not None else {}
        for page in self.pdf.pages:
            number = self.pages[page.obj.objgen]
            key = page.obj.get("/StructParents")
            if key is None:
                continue
            entries = numbers.get(int(key))
            if entries is None:
                self.problems.append(Failure("tagged content is in the structure tree",
                                             "the page has no parent-tree entry", number))
                continue
            for mcid, element in enumerate(entries):
                if element is None or not hasattr(element, "objgen"):
                    continue
                if element.objgen not in self.reached:
                    self.problems.append(Failure(
                        "tagged content is in the structure tree",
                        f"marked content {mcid} belongs to a {self.role(element)} element that "
                        "is not reachable from the structure tree root", number))


def _number_tree(node, found=None) -> dict:
    found = {} if found is None else found
    nums = node.get("/Nums")
    if nums is not None:
        for index in range(0, len(nums) - 1, 2):
            value = nums[index + 1]
            found[int(nums[index])] = list(value) if hasattr(value, "append") else value
    for kid in node.get("/Kids", []):
        _number_tree(kid, found)
    return found


# -- content streams --------------------------------------------------------------------------
def _marked_content(pdf, tree: StructureTree) -> list[Failure]:
    """Every painting operator is in an artifact, or in marked content the tree owns; the
    content of a form XObject (an opacity group, say) counts where the page paints it."""
    check = "content is tagged or an artifact"
    problems = []
    for number, page in enumerate(pdf.pages, 1):
        counts = {"unmarked": 0, "untagged": 0, "inside artifact": 0}
        mcids: set[int] = set()
        _scan(page, [], counts, mcids, set())
        if counts["unmarked"]:
            problems.append(Failure(check, f"{counts['unmarked']} painting operator(s) are "
                                           "outside any marked content", number))
        if counts["untagged"]:
            problems.append(Failure(check, f"{counts['untagged']} painting operator(s) are in "
                                           "marked content that is neither an artifact nor has "
                                           "an MCID", number))
        if counts["inside artifact"]:
            problems.append(Failure(check, f"{counts['inside artifact']} tagged marked-content "
                                           "sequence(s) are inside an artifact", number))
        orphans = sorted(mcid for mcid in mcids if (number, mcid) not in tree.owner)
        if orphans:
            problems.append(Failure(check, f"marked content {_few(orphans)} is tagged but not in "
                                           "the structure tree and not an artifact", number))
    return problems


def _scan(content, stack: list, counts: dict, mcids: set, forms: set) -> None:

    resources = content.get("/Resources") if hasattr(content, "get") else None
    xobjects = resources.get("/XObject", {}) if resources is not None else {}
    for operands, operator in pikepdf.parse_content_stream(content):
        op = str(operator)
        if op in ("BMC", "BDC"):
            mcid = None
            if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                value = operands[1].get("/MCID")
                mcid = int(value) if value is not None else None
            if mcid is not None and any(tag == "Artifact" for tag, _ in stack):
                counts["inside artifact"] += 1
            stack.append((str(operands[0])[1:], mcid))
        elif op == "EMC":
            if stack:
                stack.pop()
        elif op == "Do" and str(operands[0]) in xobjects and \
                str(xobjects[str(operands[0])].get("/Subtype")) == "/Form" and \
                not any(tag == "Artifact" for tag, _ in stack):
            form = xobjects[str(operands[0])]
            if form.objgen not in forms and len(forms) < 100:  # a form painted inside itself
                _scan(form, list(stack), counts, mcids, forms | {form.objgen})
        elif op in PAINTING or op == "INLINE IMAGE":
            if not stack:
                counts["unmarked"] += 1
            elif any(tag == "Artifact" for tag, _ in stack):
                continue
            else:
                mcid = next((m for _, m in reversed(stack) if m is not None), None)
                if mcid is None:
                    counts["untagged"] += 1
                else:
                    mcids.add(mcid)


# -- structure --------------------------------------------------------------------------------
def _headings(tree: StructureTree) -> list[Failure]:
    check = "heading levels start at H1 and do not skip"
    problems, previous = [], 0
    for element in tree.elements:
        match = HEADING.match(element.role)
        if not match:
            continue
        level = int(match.group(1))
        if previous == 0 and level != 1:
            problems.append(Failure(check, f"the first heading is H{level}, not H1", element.page))
        elif level > previous + 1 and previous:
            problems.append(Failure(check, f"H{level} follows H{previous}", element.page))
        previous = level
    return problems


def _lists(tree: StructureTree) -> list[Failure]:
    check = "lists are L, LI, Lbl and LBody"
    # A sublist belongs in the LBody of its item (L > LI > LBody > L), not beside it.
    allowed = {"L": {"LI", "Caption"}, "LI": {"Lbl", "LBody"}}
    parents = {"LI": {"L"}, "Lbl": {"LI"}, "LBody": {"LI"}}
    problems = []
    for element in tree.elements:
        if element.role in allowed:
            wrong = sorted({kid.role for kid in element.kids} - allowed[element.role])
            if wrong:
                problems.append(Failure(check, f"{element.role} contains {', '.join(wrong)}",
                                        element.page))
            if element.mcids:
                problems.append(Failure(check, f"{element.role} holds content directly",
                                        element.page))
        if element.role in parents:
            parent = element.parent.role if element.parent else "nothing"
            if parent not in parents[element.role]:
                problems.append(Failure(check, f"{element.role} is inside {parent}", element.page))
    return problems


def _figures(tree: StructureTree) -> list[Failure]:
    """Stricter than pdfua, which also takes /ActualText: a figure's description is its /Alt."""
    check = "figures have /Alt"
    return [Failure(check, "a Figure has no /Alt text", element.page)
            for element in tree.elements if element.role == "Figure"
            and not str(element.obj.get("/Alt", "")).strip()]


def _annotations(pdf, tree: StructureTree) -> list[Failure]:

    check = "link annotations are in the structure tree"
    problems = []
    for number, page in enumerate(pdf.pages, 1):
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") in (pikepdf.Name("/Popup"),):
                continue
            if "/StructParent" not in annotation:
                problems.append(Failure(check, "an annotation has no /StructParent", number))
            elif annotation.objgen not in tree.annotations:
                problems.append(Failure(check, f"a {annotation.get('/Subtype')} annotation is not "
                                               "referenced from a structure element", number))
    return problems


def _tabs(pdf) -> list[Failure]:
    check = "pages use the structure tab order (/Tabs /S)"
    return [Failure(check, f"/Tabs is {page.obj.get('/Tabs')}, not /S", number)
            for number, page in enumerate(pdf.pages, 1) if str(page.obj.get("/Tabs")) != "/S"]


def _title(pdf) -> list[Failure]:
    check = "title in the metadata and shown"
    problems = []
    info_title = str(pdf.docinfo.get("/Title", "")).strip()
    with pdf.open_metadata() as metadata:
        xmp_title = str(metadata.get("dc:title", "") or "").strip()
    if not xmp_title:
        problems.append("the XMP metadata has no dc:title")
    elif info_title and info_title != xmp_title:
        problems.append(f"dc:title {xmp_title!r} differs from the document title {info_title!r}")
    preferences = pdf.Root.get("/ViewerPreferences")
    if preferences is None or preferences.get("/DisplayDocTitle") is not True:
        problems.append("viewers are not asked to show the title (/DisplayDocTitle true)")
    return [Failure(check, problem) for problem in problems]


def _language(pdf) -> list[str]:
    language = str(pdf.Root.get("/Lang", "")).strip()
    if not language:
        return ["the document has no /Lang"]
    if not known_language(language):
        return [f"/Lang {language!r} is not a known language tag"]
    return []


def _fonts(pdf) -> list[Failure]:
    check = "fonts embedded with Unicode maps"
    problems, seen = [], set()
    for number, page in enumerate(pdf.pages, 1):
        for font in _page_fonts(page.obj.get("/Resources")):
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            name = str(font.get("/BaseFont", font.get("/Name", "a Type 3 font")))
            subtype = str(font.get("/Subtype"))
            if "/ToUnicode" not in font:
                problems.append(Failure(check, f"font {name} has no ToUnicode map", number))
            if subtype == "/Type3":
                continue
            described = font.DescendantFonts[0] if subtype == "/Type0" else font
            descriptor = described.get("/FontDescriptor")
            if descriptor is None or not any(key in descriptor for key in
                                             ("/FontFile", "/FontFile2", "/FontFile3")):
                problems.append(Failure(check, f"font {name} is not embedded", number))
    return problems


def _page_fonts(resources, depth: int = 0):
    if resources is None or depth > 8:
        return
    for font in resources.get("/Font", {}).values():
        yield font
    for xobject in resources.get("/XObject", {}).values():
        if str(xobject.get("/Subtype")) == "/Form":
            yield from _page_fonts(xobject.get("/Resources"), depth + 1)


# -- where things are drawn (pdfplumber) ------------------------------------------------------
def _layout_checks(data: bytes, tree: StructureTree, result: Result) -> None:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as document:
        pages = [[char for char in page.chars if char["text"].strip()] for page in document.pages]
    result.add("page headers and footers are artifacts", _running_lines(pages))
    result.add("text extracts as Unicode", _unicode(pages))
    result.add("structure order is reading order", _reading_order(pages, tree))


def _running_lines(pages: list[list[dict]]) -> list[Failure]:
    """A line at the same height on every page, the same but for its digits, is a running
    header or footer ("Page 2 of 3"): a screen reader must not read it as content."""
    check = "page headers and footers are artifacts"
    if len(pages) < 2:
        return []
    lines_by_page = []
    for chars in pages:
        lines = defaultdict(list)
        for char in chars:
            lines[round(char["top"])].append(char)
        lines_by_page.append({(top, re.sub(r"\d+", "#", "".join(c["text"] for c in line))): line
                              for top, line in lines.items()})
    running = set(lines_by_page[0]).intersection(*lines_by_page[1:])
    problems = []
    for number, lines in enumerate(lines_by_page, 1):
        for key in sorted(running):
            tagged = [char for char in lines[key] if char.get("mcid") is not None]
            if tagged:
                text = "".join(char["text"] for char in lines[key])
                problems.append(Failure(check, f"the running line {text[:60]!r} is tagged as "
                                               "content, not an artifact", number))
    return problems


def _unicode(pages: list[list[dict]]) -> list[Failure]:
    check = "text extracts as Unicode"
    problems = []
    for number, chars in enumerate(pages, 1):
        bad = [char for char in chars if "(cid:" in char["text"] or "\ufffd" in char["text"]]
        if bad:
            problems.append(Failure(check, f"{len(bad)} character(s) have no Unicode mapping "
                                           f"(font {bad[0]['fontname']})", number))
    return problems


def _reading_order(pages: list[list[dict]], tree: StructureTree) -> list[Failure]:
    """The tree's content, in order, goes down each page and on through the pages.

    A later piece of content may share a line with the one before it (a link in a sentence,
    a bullet and its item) but may not lie wholly above it, nor on an earlier page.
    """
    check = "structure order is reading order"
    boxes: dict[tuple[int, int], tuple[float, float, str]] = {}
    for number, chars in enumerate(pages, 1):
        grouped = defaultdict(list)
        for char in chars:
            if char.get("mcid") is not None:
                grouped[char["mcid"]].append(char)
        for mcid, group in grouped.items():
            boxes[(number, mcid)] = (min(c["top"] for c in group),
                                     max(c["bottom"] for c in group),
                                     "".join(c["text"] for c in group))
    problems = []
    previous = None  # (page, top, bottom, text)
    for page, mcid, _element in tree.content:
        box = boxes.get((page, mcid))
        if box is None:
            continue
        top, bottom, text = box
        if previous is not None:
            if page < previous[0]:
                problems.append(Failure(check, f"{text[:40]!r} comes after content of page "
                                               f"{previous[0]} in the structure tree", page))
            elif page == previous[0] and bottom < previous[1]:
                problems.append(Failure(check, f"{text[:40]!r} is above {previous[3][:40]!r} but "
                                               "comes after it in the structure tree", page))
        previous = (page, top, bottom, text)
    return problems


def _few(values: list) -> str:
    shown = ", ".join(str(value) for value in values[:5])
    return shown + (f" and {len(values) - 5} more" if len(values) > 5 else "")
