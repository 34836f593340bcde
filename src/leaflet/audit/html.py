"""The HTML pages in Debian's headless Chromium: axe-core for WCAG 2.2 A and AA, and what axe
cannot see: 200% zoom and reflow, the WCAG text-spacing overrides, the keyboard (skip link,
focus order, visible focus, glossary links, audio player), and colour as the only signal.

Chromium is /usr/bin/chromium, driven by playwright-python with no browser download; axe-core
comes from npm (`npm ci` in the Makefile) and is loaded into each page. Nothing leaves the
machine: every request other than for the page's own folder (its audio, its pictures) is refused. Screenshots at phone and
desktop widths are written to a `review/` folder beside each page for a person to look at.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from ..errors import MissingTool
from . import Failure, Result

CHROMIUM = Path(os.environ.get("LEAFLET_CHROMIUM", "/usr/bin/chromium"))
AXE_IN_FOLDER = Path("node_modules") / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
ZOOM_200 = {"width": 640, "height": 400}  # a 1280 x 800 window at 200% zoom
REFLOW = {"width": 320, "height": 256}  # WCAG 1.4.10: 1280 px at 400%
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p, li, dt, dd, h1, h2, h3, h4, h5, h6 { margin-bottom: 2em !important; }
"""
INTERACTIVE = ("a[href], button, input, select, textarea, summary, audio[controls], "
               "video[controls], [tabindex]:not([tabindex='-1'])")


def audit_html(paths: list[Path], review: bool = True) -> list[Result]:
    """Check each page in one browser; write review screenshots beside each page."""
    if not paths:
        return []
    with browser() as chromium:
        return [audit_page(chromium, path, review) for path in paths]


def axe_script() -> Path:
    """axe-core from LEAFLET_AXE, or from node_modules/ in the project or the current folder."""
    if os.environ.get("LEAFLET_AXE"):
        return Path(os.environ["LEAFLET_AXE"])
    from .. import project

    root = project.find()
    for folder in dict.fromkeys([root, Path.cwd()] if root else [Path.cwd()]):
        if (folder / AXE_IN_FOLDER).is_file():
            return folder / AXE_IN_FOLDER
    raise MissingTool(f"{AXE_IN_FOLDER} not found; run `npm install axe-core` in the project "
                      "(in the tool's repository, make test does), or set LEAFLET_AXE to "
                      "axe.min.js")


@contextmanager
def browser():
    if not CHROMIUM.exists():
        raise MissingTool(f"{CHROMIUM} not found; install Debian's chromium package "
                          "(make test-system does)")
    axe_script()  # missing: say so before starting the browser
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise MissingTool("playwright is not installed; pip install -e '.[audit]'") from error
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_ARGS, chromium_sandbox=False)
        try:
            yield chromium
        finally:
            chromium.close()


def audit_page(chromium, path: Path, review: bool = True) -> Result:
    result = Result(str(path))
    page_url = path.resolve().as_uri()
    context = chromium.new_context(viewport=DESKTOP, java_script_enabled=True,
                                   service_workers="block")
    folder = path.resolve().parent.as_uri() + "/"
    context.route("**/*", lambda route: route.continue_()
                  if route.request.url == page_url or route.request.url.startswith(folder)
                  else route.abort())
    page = context.new_page()
    try:
        page.goto(page_url, wait_until="load")
        _axe(page, result)
        _keyboard(page, result)
        _colour_not_only_signal(page, result)
        _glossary_links(page, result)
        _audio(page, result)
        _chapter_links(page, result)
        _zoom_and_spacing(page, result)
        if review:
            _screenshots(page, path, result)
    finally:
        context.close()
    return result


# -- axe-core ---------------------------------------------------------------------------------
def _axe(page, result: Result) -> None:
    """axe-core's WCAG 2.2 A/AA rules at desktop and phone widths; each rule is one check."""
    outcomes: dict[str, list[Failure]] = {}
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(axe_script()))
        report = page.evaluate(
            """async (tags) => {
                const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                   resultTypes: ['violations', 'incomplete']});
                const brief = (items) => items.map(rule => ({
                    id: rule.id, help: rule.help,
                    nodes: rule.nodes.map(n => ({target: n.target.join(' '),
                                                 summary: n.failureSummary || ''}))}));
                return {passes: r.passes.map(p => p.id), violations: brief(r.violations),
                        incomplete: brief(r.incomplete), version: axe.version};
            }""", AXE_TAGS)
        for rule_id in report["passes"]:
            outcomes.setdefault(f"axe {rule_id}", [])
        for rule in report["violations"]:
            check = f"axe {rule['id']}"
            outcomes.setdefault(check, []).extend(
                Failure(check, f"{rule['help']} at {label} width: {node['target']}"
                               f" ({' '.join(node['summary'].split())[:160]})")
                for node in rule["nodes"])
        for rule in report["incomplete"]:
            outcomes.setdefault(f"axe {rule['id']}", [])
            for node in rule["nodes"]:
                note = f"axe {rule['id']} needs a person to review at {label} width: {node['target']}"
                if note not in result.notes:
                    result.notes.append(note)
    for check, failures in sorted(outcomes.items()):
        result.add(check, failures)
    page.set_viewport_size(DESKTOP)


# -- keyboard ---------------------------------------------------------------------------------
DESCRIBE_FOCUS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const all = Array.from(document.querySelectorAll(arguments_selector));
    const style = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return {index: all.indexOf(el), tag: el.tagName.toLowerCase(), cls: el.className || '',
            href: el.getAttribute('href') || '', text: (el.textContent || el.getAttribute('aria-label')
                                                         || '').trim().slice(0, 40),
            top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left + scrollX,
            right: r.right + scrollX, width: r.width, height: r.height,
            inView: r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth
                    && r.width > 0 && r.height > 0,
            outline: style.outlineStyle !== 'none' && style.outlineStyle !== 'auto'
                     && parseFloat(style.outlineWidth) >= 2};
}"""


def _js(source: str) -> str:
    return source.replace("arguments_selector", repr(INTERACTIVE))


def _tab_through(page, on_stop=None) -> list[dict]:
    """Every element Tab reaches from the top of the page, in order, until it wraps;
    `on_stop(stop)` runs while each has focus."""
    # Blurring alone leaves Chromium's starting point where focus last was (a glossary entry
    # after following its link): focusing the body for a moment moves it to the top.
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); "
                  "window.scrollTo(0, 0); document.body.tabIndex = -1; document.body.focus(); "
                  "document.body.removeAttribute('tabindex'); }")
    count = page.evaluate(f"() => document.querySelectorAll({INTERACTIVE!r}).length")
    stops = []
    for _ in range(2 * count + 3):  # a media player's controls take several stops
        page.keyboard.press("Tab")
        stop = page.evaluate(_js(DESCRIBE_FOCUS))
        if stop is None or (stops and stop["index"] == stops[0]["index"]):
            break
        if on_stop is not None:
            on_stop(stop)
        stops.append(stop)
    return stops


def _region(stop: dict, margin: float = 6) -> dict:
    """The page area of a focused element and its focus ring, in page coordinates."""
    return {"x": max(0, stop["left"] - margin), "y": max(0, stop["top"] - margin),
            "width": stop["width"] + 2 * margin, "height": stop["height"] + 2 * margin}


def _keyboard(page, result: Result) -> None:
    focused_pictures = {}

    def picture_focus(stop):
        # No outline of 2px or more: compare what the element's area looks like focused and
        # not (a change of background, a shadow, a browser's own focus ring all show).
        if not stop["outline"] and stop["width"] and stop["height"]:
            focused_pictures[len(focused_pictures), stop["index"]] = page.screenshot(
                full_page=True, clip=_region(stop), animations="disabled", caret="hide")

    stops = _tab_through(page, picture_focus)
    interactive = page.evaluate(
        f"""() => Array.from(document.querySelectorAll({INTERACTIVE!r})).map(el => {{
            // not rendered: its own style, or inside something that is not (a closed popover)
            return {{hidden: !el.checkVisibility({{visibilityProperty: true}}),
                     tabindex: el.getAttribute('tabindex'),
                     text: (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40)}};
        }})""")

    # Skip link: the first stop, visible when focused, and it moves focus into <main>.
    check = "skip link is the first tab stop and leads to the main content"
    problems = []
    first = stops[0] if stops else None
    if first is None or "skip-link" not in first["cls"].split():
        problems.append("the first tab stop is not the skip link"
                        + (f" but {first['tag']} {first['text']!r}" if first else ""))
    else:
        if not first["inView"]:
            problems.append("the skip link is not visible when it has focus")
        target = page.evaluate(
            "(href) => { const t = document.getElementById(href.slice(1));"
            " return t ? t.tagName.toLowerCase() : null; }", first["href"])
        if target != "main":
            problems.append(f"the skip link points to {first['href']!r}, which is not <main>")
        else:
            page.evaluate("() => { document.activeElement.blur(); window.scrollTo(0, 0); }")
            page.keyboard.press("Tab")
            page.keyboard.press("Enter")
            page.keyboard.press("Tab")
            # Into the main content, or past it when nothing in it takes focus (a leaflet
            # without links): what matters is that the header's links are skipped.
            skipped = page.evaluate(
                "() => { const main = document.querySelector('main'),"
                " focused = document.activeElement;"
                " return main.contains(focused) || !!(main.compareDocumentPosition(focused)"
                " & Node.DOCUMENT_POSITION_FOLLOWING); }")
            if not skipped:
                problems.append("after the skip link, Tab does not go into the main content")
    result.add(check, problems)

    # Every interactive element is reached, in document order, going down the page.
    reached = {stop["index"] for stop in stops}
    missing = [f"{item['text']!r}" for index, item in enumerate(interactive)
               if index not in reached and not item["hidden"]]
    result.add("every link and control is reachable by keyboard",
               [f"Tab never reaches {', '.join(missing[:5])}"
                + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")] if missing else [])
    order = []
    indices = [stop["index"] for stop in stops]
    if indices != sorted(indices):
        order.append("the tab order is not the document order (a positive tabindex?)")
    for before, after in zip(stops, stops[1:]):
        if after["bottom"] < before["top"] - 1:
            order.append(f"{after['text']!r} comes after {before['text']!r} in the tab order "
                         "but is above it on the page")
    order += [f"tabindex={item['tabindex']} on {item['text']!r} changes the order"
              for item in interactive if (item["tabindex"] or "0").lstrip("-").isdigit()
              and int(item["tabindex"] or 0) > 0]
    result.add("focus order is reading order", order)

    # Focus is visible (an outline of 2px or more, or the area looks different focused), and
    # the focused element is scrolled into view, not left off screen.
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    invisible = []
    pictures = iter(focused_pictures.items())
    for stop in stops:
        if not stop["inView"]:
            invisible.append(f"{stop['text']!r} is off screen when it has focus")
        if stop["outline"] or not (stop["width"] and stop["height"]):
            continue
        _key, focused = next(pictures)
        unfocused = page.screenshot(full_page=True, clip=_region(stop), animations="disabled",
                                    caret="hide")
        if unfocused == focused:
            invisible.append(f"no visible focus indicator on {stop['text']!r}")
    result.add("keyboard focus is visible", sorted(set(invisible), key=invisible.index))


def _colour_not_only_signal(page, result: Result) -> None:
    """Links in text are underlined (not told apart by colour alone), and focus adds an outline,
    not only a change of colour."""
    plain = page.evaluate(
        """() => Array.from(document.querySelectorAll('p a[href], li a[href], dd a[href],'
                                                     + ' dt a[href], td a[href]'))
            .filter(a => !a.classList.contains('skip-link'))
            .filter(a => { const s = getComputedStyle(a);
                           return !s.textDecorationLine.includes('underline')
                                  && parseFloat(s.borderBottomWidth) === 0; })
            .map(a => a.textContent.trim().slice(0, 40))""")
    result.add("colour is not the only signal",
               [f"the link {text!r} is told apart from the text by colour alone"
                for text in plain])


def _glossary_links(page, result: Result) -> None:
    """Each glossary link, focused and activated with Enter, shows its definition: in a popover
    that takes focus and that Escape closes, focus going back to the link (the page's script),
    or by going to the list of words (without it)."""
    count = page.evaluate("() => document.querySelectorAll('a.term').length")
    if not count:
        return
    problems = []
    for index in range(count):
        page.evaluate("(i) => { window.scrollTo(0, 0); document.querySelectorAll('a.term')[i]"
                      ".focus(); }", index)
        focused = page.evaluate("(i) => document.activeElement === "
                                "document.querySelectorAll('a.term')[i]", index)
        href = page.evaluate("(i) => document.querySelectorAll('a.term')[i]"
                             ".getAttribute('href')", index)
        if not focused:
            problems.append(f"the glossary link to {href} cannot take keyboard focus")
            continue
        page.keyboard.press("Enter")
        _wait_for(page, "([i, href]) => location.hash === href || document.querySelectorAll("
                        "'a.term')[i].getAttribute('aria-expanded') === 'true'", [index, href])
        shown = page.evaluate(_SHOWN, [index, href])
        if shown is None:
            problems.append(f"the glossary link {href} has no target")
        elif shown == "popover":
            page.keyboard.press("Escape")
            if not _wait_for(page, _CLOSED, index):
                problems.append(f"Escape does not close the definition of {href} and return "
                                "focus to its link")
        elif not shown:
            problems.append(f"Enter on the glossary link {href} does not show its definition")
    result.add("glossary links work from the keyboard", problems)
    page.evaluate("() => { history.replaceState(null, '', location.pathname); "
                  "window.scrollTo(0, 0); }")


def _wait_for(page, condition: str, argument, seconds: float = 2) -> bool:
    """Whether `condition` holds within `seconds` (a page's script answers a key at once)."""
    from playwright.sync_api import TimeoutError as Timeout

    try:
        page.wait_for_function(condition, arg=argument, timeout=seconds * 1000)
    except Timeout:
        return False
    return True


# "popover": the definition is open on screen, named, with focus in it; true: the list of words
# shows it; false: neither; null: the link has no target.
_SHOWN = """([i, href]) => {
    const link = document.querySelectorAll('a.term')[i];
    const entry = document.getElementById(href.slice(1));
    if (!entry) return null;
    const box = document.getElementById(link.getAttribute('aria-controls') || '');
    if (box && box.matches(':popover-open')) {
        const r = box.getBoundingClientRect();
        const named = document.getElementById(box.getAttribute('aria-labelledby') || '');
        return (r.top >= 0 && r.bottom <= innerHeight && named && box.contains(document.activeElement)
                && link.getAttribute('aria-expanded') === 'true'
                && box.textContent.includes(entry.nextElementSibling.textContent.trim()))
               ? 'popover' : false;
    }
    const r = entry.getBoundingClientRect();
    return location.hash === href && r.top >= -1 && r.top < innerHeight;
}"""
_CLOSED = """(i) => {
    const link = document.querySelectorAll('a.term')[i];
    const box = document.getElementById(link.getAttribute('aria-controls'));
    return !box.matches(':popover-open') && document.activeElement === link
           && link.getAttribute('aria-expanded') === 'false';
}"""


def _chapter_links(page, result: Result) -> None:
    """Each link to a part of the recording, activated with Enter, moves the player there."""
    count = page.evaluate("() => document.querySelectorAll('a[data-start]').length")
    problems = []
    for index in range(count):
        before = page.evaluate("(i) => { document.querySelectorAll('a[data-start]')[i].focus();"
                               " return location.href; }", index)
        page.keyboard.press("Enter")
        moved = page.evaluate("""([i, before]) => {
            const link = document.querySelectorAll('a[data-start]')[i];
            const player = document.getElementById(link.dataset.player);
            if (player) player.pause();
            return !!player && Math.abs(player.currentTime - parseFloat(link.dataset.start)) < 0.5
                   && location.href === before;
        }""", [index, before])
        if not moved:
            text = page.evaluate("(i) => document.querySelectorAll('a[data-start]')[i]"
                                 ".textContent.trim().slice(0, 40)", index)
            problems.append(f"Enter on the chapter link {text!r} does not move the recording")
    if count:
        result.add("chapter links move the recording", problems)


def _audio(page, result: Result) -> None:
    """An audio player has controls, a name, and is in the tab order (checked once it exists)."""
    players = page.evaluate(
        """() => Array.from(document.querySelectorAll('audio')).map(a => ({
            controls: a.controls, autoplay: a.autoplay,
            named: !!(a.getAttribute('aria-label') || a.getAttribute('aria-labelledby')
                      || a.getAttribute('title'))}))""")
    if not players:
        return
    problems = []
    stops = _tab_through(page)
    reached = sum(1 for stop in stops if stop["tag"] == "audio")
    for number, player in enumerate(players, 1):
        if not player["controls"]:
            problems.append(f"audio player {number} has no controls")
        if player["autoplay"]:
            problems.append(f"audio player {number} plays by itself")
        if not player["named"]:
            problems.append(f"audio player {number} has no accessible name")
    if reached < len(players):
        problems.append(f"Tab reaches {reached} of {len(players)} audio player(s)")
    result.add("audio player is reachable by keyboard", problems)


# -- zoom, reflow and text spacing ------------------------------------------------------------
LOST_CONTENT = """() => {
    const problems = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1)
        problems.push(`the page scrolls sideways (${root.scrollWidth}px content in ${root.clientWidth}px)`);
    for (const el of document.body.querySelectorAll('*')) {
        const s = getComputedStyle(el);
        if (s.display === 'inline' || s.display === 'none' || s.position === 'absolute'
            || s.position === 'fixed') continue;
        const clips = s.overflowX !== 'visible' || s.overflowY !== 'visible';
        const spills = el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1;
        if (spills && (clips || s.height !== 'auto' && el.style.height))
            problems.push(`text is cut off or overlaps in ${el.tagName.toLowerCase()}`
                          + ` "${(el.textContent || '').trim().slice(0, 40)}"`);
        const r = el.getBoundingClientRect();
        if ((el.textContent || '').trim() && (r.left < -1 || r.right > root.clientWidth + 1)
            && el.children.length === 0)
            problems.push(`"${el.textContent.trim().slice(0, 40)}" is outside the page`);
    }
    return problems.slice(0, 10);
}"""


def _zoom_and_spacing(page, result: Result) -> None:
    for check, viewport, scale in (
            ("works at 200% zoom without loss of content", ZOOM_200, 2),
            ("reflows at 320 CSS pixels without loss of content", REFLOW, 1)):
        page.set_viewport_size(viewport)
        result.add(check, page.evaluate(LOST_CONTENT))
    spacing = page.add_style_tag(content=TEXT_SPACING)
    problems = []
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        problems += [f"at {label} width: {problem}" for problem in page.evaluate(LOST_CONTENT)]
    result.add("WCAG text-spacing overrides lose no content", problems)
    spacing.evaluate("style => style.remove()")
    page.set_viewport_size(DESKTOP)


def _screenshots(page, path: Path, result: Result) -> None:
    folder = path.parent / "review"
    folder.mkdir(exist_ok=True)
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        page.evaluate("() => window.scrollTo(0, 0)")
        target = folder / f"{path.stem}-{label}.png"
        page.screenshot(path=str(target), full_page=True)
        result.notes.append(f"screenshot: {target}")
