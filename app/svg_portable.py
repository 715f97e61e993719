"""Make Qt's SVG render the same in every viewer: Chromium, Inkscape, librsvg, ImageMagick, LibreOffice.

Why lines came out as solid blobs in librsvg and ImageMagick
-----------------------------------------------------------
pyqtgraph draws with *cosmetic* pens (a width in device pixels, whatever the
zoom). Qt's SVG generator writes such a line inside a group carrying the
painter's transform — for a plot, the data-to-canvas matrix, a scale of
several hundred — and marks the line ``vector-effect="non-scaling-stroke"``.
Chromium and Inkscape honour that; librsvg 2.54 (and ImageMagick, which
uses it) does not, and strokes a 2-pixel line 2 × 244 units wide: a blob.

The fix is made where the file is written: every such line, path, polygon,
rectangle or ellipse gets the group's transform applied to its own
coordinates (its stroke width then means what it says in every viewer) and
loses the ``vector-effect``; what still needs the transform (images, text)
keeps it in a group of its own, in the same drawing order.

Why Hangul showed as boxes
--------------------------
Qt names the font it was asked for (``"Sans Serif"``, a fontconfig alias no
browser knows) even where it drew Hangul from a fallback font; a viewer
without that font draws empty boxes, or nothing. With ``text_to_paths``
every ``<text>`` becomes the outline of its glyphs, made by Qt from the same
fonts the PNG was drawn with (Hangul from the bundled Nanum Gothic): the
picture no longer depends on any font on the viewer's machine. Otherwise
the font is named as a CSS list ending in ``sans-serif``.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from functools import lru_cache

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtGui import QFont, QPainterPath

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG)
ET.register_namespace("xlink", XLINK)
GEOMETRY = {"path", "polyline", "polygon", "rect", "ellipse", "circle", "line"}
#: What a viewer without the figure's font falls back to, Latin first, then Hangul.
FONT_FALLBACKS = ("'DejaVu Sans'", "'Noto Sans'", "'Liberation Sans'", "Arial", "'NanumGothic'", "'Nanum Gothic'",
                  "'Noto Sans CJK KR'", "'Malgun Gothic'", "'Apple SD Gothic Neo'", "sans-serif")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_PATH_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _tag(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _matrix(text: str) -> np.ndarray | None:
    """``matrix(a,b,c,d,e,f)`` (the only form Qt writes) as a 3×3 array."""
    m = re.fullmatch(r"\s*matrix\(([^)]*)\)\s*", text or "")
    if not m:
        return None
    values = [float(v) for v in _NUMBER.findall(m.group(1))]
    if len(values) != 6:
        return None
    a, b, c, d, e, f = values
    return np.array([[a, c, e], [b, d, f], [0.0, 0.0, 1.0]])


def _num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _apply(m: np.ndarray, xy: np.ndarray) -> np.ndarray:
    if len(xy) <= 8:  # most elements are a line or a box: plain arithmetic beats NumPy's overhead
        a, c, e, b, d, f = m[0, 0], m[0, 1], m[0, 2], m[1, 0], m[1, 1], m[1, 2]
        return [(a * x + c * y + e, b * x + d * y + f) for x, y in xy]
    return xy @ m[:2, :2].T + m[:2, 2]


def _pairs(numbers: list[float]):
    if len(numbers) <= 16:
        return list(zip(numbers[0::2], numbers[1::2]))
    return np.asarray(numbers, float).reshape(-1, 2)


def _transform_path(d: str, m: np.ndarray) -> str | None:
    """A path's ``d`` with absolute pair commands (M, L, C, Q, S, T) and Z transformed; None otherwise."""
    out: list[str] = []
    numbers: list[float] = []
    command = ""

    def flush():
        if command:
            out.append(command)
        if numbers:
            xy = _apply(m, _pairs(numbers))
            out.append(" ".join(f"{_num(x)},{_num(y)}" for x, y in xy))

    for token in _PATH_TOKEN.findall(d):
        if token.isalpha():
            if token not in "MLCQSTZz":
                return None
            flush()
            command, numbers = token, []
        else:
            numbers.append(float(token))
    if len(numbers) % 2:
        return None
    flush()
    return " ".join(out)


def _ellipse_path(cx: float, cy: float, rx: float, ry: float) -> str:
    k = 0.5522847498
    return (f"M{cx + rx},{cy} C{cx + rx},{cy + k * ry} {cx + k * rx},{cy + ry} {cx},{cy + ry} "
            f"C{cx - k * rx},{cy + ry} {cx - rx},{cy + k * ry} {cx - rx},{cy} "
            f"C{cx - rx},{cy - k * ry} {cx - k * rx},{cy - ry} {cx},{cy - ry} "
            f"C{cx + k * rx},{cy - ry} {cx + rx},{cy - k * ry} {cx + rx},{cy} Z")


def _to_path(element: ET.Element, d: str) -> None:
    for key in ("x", "y", "width", "height", "rx", "ry", "cx", "cy", "r", "points", "x1", "y1", "x2", "y2"):
        element.attrib.pop(key, None)
    element.tag = f"{{{SVG}}}path"
    element.set("d", d)


def _bake(element: ET.Element, m: np.ndarray) -> bool:
    """Apply ``m`` to ``element``'s own coordinates; False when it is of a form this does not know."""
    tag = _tag(element)
    axis_aligned = abs(m[0, 1]) < 1e-12 and abs(m[1, 0]) < 1e-12
    get = lambda key: float(element.get(key, "0"))  # noqa: E731
    if tag == "path":
        d = _transform_path(element.get("d", ""), m)
        if d is None:
            return False
        element.set("d", d)
    elif tag in ("polyline", "polygon"):
        numbers = [float(v) for v in _NUMBER.findall(element.get("points", ""))]
        if len(numbers) % 2:
            return False
        element.set("points", " ".join(f"{_num(x)},{_num(y)}" for x, y in _apply(m, _pairs(numbers))))
    elif tag == "line":
        (x1, y1), (x2, y2) = _apply(m, np.array([[get("x1"), get("y1")], [get("x2"), get("y2")]]))
        for key, value in (("x1", x1), ("y1", y1), ("x2", x2), ("y2", y2)):
            element.set(key, _num(value))
    elif tag == "rect":
        x, y, w, h = get("x"), get("y"), get("width"), get("height")
        corners = np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]])
        if axis_aligned and not element.get("rx") and not element.get("ry"):
            p = np.asarray(_apply(m, corners))
            element.set("x", _num(p[:, 0].min()))
            element.set("y", _num(p[:, 1].min()))
            element.set("width", _num(np.ptp(p[:, 0])))
            element.set("height", _num(np.ptp(p[:, 1])))
        else:
            p = _apply(m, corners)
            _to_path(element, "M" + " L".join(f"{_num(a)},{_num(b)}" for a, b in p) + " Z")
    elif tag in ("ellipse", "circle"):
        cx, cy = get("cx"), get("cy")
        rx = get("r") if tag == "circle" else get("rx")
        ry = get("r") if tag == "circle" else get("ry")
        if axis_aligned:
            (ncx, ncy), = _apply(m, np.array([[cx, cy]]))
            element.tag = f"{{{SVG}}}ellipse"
            element.attrib.pop("r", None)
            for key, value in (("cx", ncx), ("cy", ncy), ("rx", abs(m[0, 0]) * rx), ("ry", abs(m[1, 1]) * ry)):
                element.set(key, _num(value))
        else:
            _to_path(element, _transform_path(_ellipse_path(cx, cy, rx, ry), m))
    else:
        return False
    element.attrib.pop("vector-effect", None)
    return True


# --- text ---------------------------------------------------------------------------------------
@lru_cache(maxsize=64)
def _font(family: str, weight: int, italic: bool) -> QFont:
    from app.fonts import KOREAN_FAMILY

    font = QFont()
    font.setFamilies([family, KOREAN_FAMILY])
    font.setPixelSize(100)  # outlines at 100 px, scaled to the size asked (sizes may be fractional)
    font.setWeight(QFont.Weight(max(100, min(900, weight))))
    font.setItalic(italic)
    font.setKerning(True)
    return font


@lru_cache(maxsize=4096)
def _glyphs(text: str, family: str, weight: int, italic: bool) -> str:
    """The outline of ``text`` at 100 pixels with its baseline at the origin (labels repeat: ticks,
    names; each is traced once)."""
    path = QPainterPath()
    path.addText(QPointF(0, 0), _font(family, weight, italic), text)
    parts = []
    k, n = 0, path.elementCount()
    while k < n:
        e = path.elementAt(k)
        if e.isMoveTo():
            parts.append(f"M{e.x:.1f},{e.y:.1f}")
            k += 1
        elif e.isLineTo():
            parts.append(f"L{e.x:.1f},{e.y:.1f}")
            k += 1
        else:  # a cubic: this element and the two after it
            c1, c2 = path.elementAt(k + 1), path.elementAt(k + 2)
            parts.append(f"C{e.x:.1f},{e.y:.1f} {c1.x:.1f},{c1.y:.1f} {c2.x:.1f},{c2.y:.1f}")
            k += 3
    return " ".join(parts)


def _inherited(element: ET.Element, parents: dict, key: str, default: str) -> str:
    while element is not None:
        if key in element.attrib:
            return element.get(key)
        element = parents.get(element)
    return default


def _text_to_path(element: ET.Element, parents: dict) -> None:
    family = _inherited(element, parents, "font-family", "sans-serif").split(",")[0].strip().strip("'\"")
    size = float(_NUMBER.findall(_inherited(element, parents, "font-size", "12"))[0])
    weight_text = _inherited(element, parents, "font-weight", "400")
    weight = 700 if weight_text == "bold" else int(float(weight_text)) if weight_text[:1].isdigit() else 400
    italic = _inherited(element, parents, "font-style", "normal") == "italic"
    text = "".join(element.itertext())
    d = _glyphs(text, family, weight, italic)
    x, y, scale = float(element.get("x", "0")), float(element.get("y", "0")), size / 100.0
    fill, opacity = element.get("fill"), element.get("fill-opacity")
    fake_bold = weight >= 600 and not _has_bold(family)
    element.attrib.clear()
    for child in list(element):
        element.remove(child)
    element.text = None
    element.tag = f"{{{SVG}}}path"
    element.set("transform", f"matrix({_num(scale)},0,0,{_num(scale)},{_num(x)},{_num(y)})")
    element.set("d", d or "M0,0")
    if fill:
        element.set("fill", fill)
    if opacity:
        element.set("fill-opacity", opacity)
    if fake_bold and fill:
        # Qt draws a bold it has no bold face for by thickening the glyphs; so do these outlines.
        element.set("stroke", fill)
        element.set("stroke-width", "3.5")  # of the 100-pixel outline: 3.5 % of the size
        element.set("stroke-linejoin", "round")
    else:
        element.set("stroke", "none")


@lru_cache(maxsize=32)
def _has_bold(family: str) -> bool:
    from PySide6.QtGui import QFontDatabase, QFontInfo

    used = QFontInfo(_font(family, 400, False)).family()
    return any(QFontDatabase.weight(used, style) >= 600 for style in QFontDatabase.styles(used))


@lru_cache(maxsize=32)
def _font_list(value: str) -> str:
    """The family Qt really drew with (it names the one asked for, which may be an alias such as
    "Sans Serif" that only fontconfig knows), then fallbacks every viewer understands."""
    from PySide6.QtGui import QFontInfo

    from app.fonts import KOREAN_FAMILY

    first = value.split(",")[0].strip().strip("'\"")
    font = QFont()
    font.setFamilies([first, KOREAN_FAMILY])
    used = QFontInfo(font).family()
    return ", ".join(dict.fromkeys([f"'{used}'"] + list(FONT_FALLBACKS)))


# --- the document ----------------------------------------------------------------------------------
def make_portable(svg: bytes, text_to_paths: bool, size_inches: tuple[float, float] | None = None,
                  title: str = "", description: str = "") -> bytes:
    """Qt's SVG ``svg`` rewritten to render alike everywhere (see the module docstring)."""
    root = ET.fromstring(svg)
    parents = {child: parent for parent in root.iter() for child in parent}
    if text_to_paths:
        for element in [e for e in root.iter() if _tag(e) == "text"]:
            _text_to_path(element, parents)
    for element in root.iter():
        if "font-family" in element.attrib:
            element.set("font-family", _font_list(element.get("font-family")))
    _drop_empty_groups(root)
    for group in [e for e in root.iter() if _tag(e) == "g" and e.get("transform")]:
        _flatten_group(group)
    parents = {child: parent for parent in root.iter() for child in parent}
    for image in [e for e in root.iter() if _tag(e) == "image"]:
        _sharpen(image, parents)
    _drop_empty_groups(root)
    if size_inches is not None:
        root.set("width", f"{size_inches[0]:.4g}in")
        root.set("height", f"{size_inches[1]:.4g}in")
    for key, text in (("title", title), ("desc", description)):
        if text:
            element = root.find(f"{{{SVG}}}{key}")
            if element is None:
                element = ET.Element(f"{{{SVG}}}{key}")
                root.insert(0, element)
            element.text = text
    return b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + ET.tostring(root, encoding="utf-8",
                                                                                       xml_declaration=False)


#: Largest side an embedded image is enlarged to (a heatmap of 784 rows stays a few hundred kB).
MAX_IMAGE_SIDE = 2400


def _sharpen(image: ET.Element, parents: dict) -> None:
    """Enlarge a small data image by whole pixels (nearest neighbour) to about the size it is shown.

    Heatmaps and weight tiles are images of a few hundred pixels drawn large; Qt asks viewers not to
    smooth them (``image-rendering``), which librsvg ignores, blurring every cell. Enlarged beforehand,
    each cell is a block of pixels whatever the viewer does.
    """
    import base64
    import io

    from PIL import Image

    href_key = f"{{{XLINK}}}href"
    href = image.get(href_key) or image.get("href") or ""
    prefix = "data:image/png;base64,"
    if not href.startswith(prefix):
        return
    group = parents.get(image)
    m = None
    while group is not None and m is None:
        m = _matrix(group.get("transform", ""))
        group = parents.get(group)
    sx, sy = (1.0, 1.0) if m is None else (math.hypot(m[0, 0], m[1, 0]), math.hypot(m[0, 1], m[1, 1]))
    try:
        picture = Image.open(io.BytesIO(base64.b64decode(href[len(prefix):])))
        picture.load()
    except (OSError, ValueError):
        return
    w, h = picture.size
    shown_w, shown_h = float(image.get("width", w)) * sx, float(image.get("height", h)) * sy
    factor = int(min(shown_w / w, shown_h / h, MAX_IMAGE_SIDE / max(w, h)))
    image.set("style", "image-rendering:pixelated")
    if factor < 2:
        return
    out = io.BytesIO()
    picture.resize((w * factor, h * factor), Image.Resampling.NEAREST).save(out, "PNG", compress_level=3)
    image.set(href_key, prefix + base64.b64encode(out.getvalue()).decode("ascii"))


def _drop_empty_groups(element: ET.Element) -> None:
    """Remove groups that draw nothing (Qt writes one for every change of pen or brush: three in four)."""
    for child in list(element):
        _drop_empty_groups(child)
        if _tag(child) == "g" and len(child) == 0 and not (child.text or "").strip():
            element.remove(child)


def _flatten_group(group: ET.Element) -> None:
    """Bake the group's transform into its non-scaling-stroke children; keep it for the rest, in order."""
    m = _matrix(group.get("transform"))
    children = list(group)
    if m is None or not any(c.get("vector-effect") == "non-scaling-stroke" for c in children):
        return
    if not np.all(np.isfinite(m)) or math.isclose(np.linalg.det(m[:2, :2]), 0.0, abs_tol=1e-18):
        return
    transform = group.attrib.pop("transform")
    for child in children:
        group.remove(child)
    run: ET.Element | None = None
    for child in children:
        if _tag(child) in GEOMETRY and child.get("vector-effect") == "non-scaling-stroke" and _bake(child, m):
            group.append(child)
            run = None
        else:
            if run is None:
                run = ET.SubElement(group, f"{{{SVG}}}g", {"transform": transform})
            run.append(child)
