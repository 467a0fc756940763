"""A tiny vector scene written either as SVG text or, through matplotlib, as PNG.

The flowsheet diagram and the Sankey chart describe their picture once, as shapes (paths
of move, line and cubic-curve commands) and texts on a canvas measured in pixels, with the y
axis pointing down; :func:`to_svg` and :func:`save_png` then give the same geometry in both
formats. Groups carry an SVG class, extra attributes and a tooltip (``<title>``).

>>> c = Canvas(120, 40)
>>> c.items.append(Group([Shape(rounded_rect(10, 10, 60, 20, 4), fill="#eee", stroke="#333"),
...                       Text(40, 24, "a & b", 10)], cls="unit", title="mixer"))
>>> svg = to_svg(c)
>>> 'class="unit"' in svg and "a &amp; b" in svg
True
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from flowsheet.atomic import atomic_path, atomic_write
from flowsheet.errors import ExportError

__all__ = [
    "Command",
    "Shape",
    "Text",
    "Group",
    "Canvas",
    "FONT",
    "text_width",
    "format_flow",
    "rounded_rect",
    "polygon",
    "check_suffix",
    "to_svg",
    "save_png",
    "write_svg_or_png",
]

Command = tuple
"""A path command: ``("M", x, y)``, ``("L", x, y)``, ``("C", x1, y1, x2, y2, x, y)``, ``("Z",)``."""

FONT = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"
"""The font stack of every text: generic families only, nothing to download."""

_NARROW = set("ijlIJ',. /:;\\|f-t()[]!r")
_MEDIUM = set('"*_`szc?Lk Fvxy')
_WIDE = set("mwMW%@#<>^~+=")


@dataclass
class Shape:
    """A path, filled and/or stroked; ``width`` and ``dash`` are in pixels."""

    d: list[Command]
    fill: str | None = None
    stroke: str | None = None
    width: float = 1.0
    dash: tuple[float, ...] | None = None
    opacity: float = 1.0


@dataclass
class Text:
    """One line of text; ``y`` is the baseline, ``anchor`` is start, middle or end."""

    x: float
    y: float
    text: str
    size: float
    color: str = "#222222"
    anchor: str = "middle"
    bold: bool = False
    italic: bool = False
    halo: bool = False


@dataclass
class Group:
    """Items drawn together, with an SVG ``class``, attributes and a hover tooltip."""

    items: list[Shape | Text | Group]
    cls: str | None = None
    title: str | None = None
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class Canvas:
    """The whole picture: ``width`` x ``height`` pixels and the items in drawing order."""

    width: float
    height: float
    items: list[Shape | Text | Group] = field(default_factory=list)
    background: str = "#ffffff"


def text_width(text: str, size: float) -> float:
    """Estimated width [px] of ``text`` at font ``size`` [px], generous for wide fonts.

    >>> round(text_width("ccd1", 10), 1)
    24.0
    """
    em = 0.0
    for ch in text:
        if ch in _NARROW:
            em += 0.34
        elif ch in _MEDIUM:
            em += 0.56
        elif ch in _WIDE:
            em += 0.95
        elif ch.isupper():
            em += 0.72
        else:
            em += 0.64
    return em * size


def format_flow(flow: float | None, unit: str = "t/h") -> str:
    """Format a flow for a label: one decimal, or three significant digits below 0.1.

    >>> format_flow(123.44), format_flow(0.0512), format_flow(0), format_flow(None)
    ('123.4 t/h', '0.0512 t/h', '0.0 t/h', 'flow not known')
    """
    if flow is None or (isinstance(flow, float) and math.isnan(flow)):
        return "flow not known"
    if flow == 0 or abs(flow) >= 0.1:
        return f"{flow:.1f} {unit}"
    return f"{flow:.3g} {unit}"


def rounded_rect(x: float, y: float, w: float, h: float, r: float) -> list[Command]:
    """Path of a rectangle with corners of radius ``r``, top-left corner at ``(x, y)``."""
    r = max(0.0, min(r, w / 2, h / 2))
    k = r * 0.448  # control distance that makes a cubic look like a quarter circle
    return [("M", x + r, y), ("L", x + w - r, y), ("C", x + w - k, y, x + w, y + k, x + w, y + r),
            ("L", x + w, y + h - r),
            ("C", x + w, y + h - k, x + w - k, y + h, x + w - r, y + h), ("L", x + r, y + h),
            ("C", x + k, y + h, x, y + h - k, x, y + h - r), ("L", x, y + r),
            ("C", x, y + k, x + k, y, x + r, y), ("Z",)]


def polygon(points: list[tuple[float, float]]) -> list[Command]:
    """Path of a closed polygon through ``points``."""
    (x0, y0), rest = points[0], points[1:]
    return [("M", x0, y0), *[("L", x, y) for x, y in rest], ("Z",)]


def check_suffix(path: str | os.PathLike, allowed: tuple[str, ...], what: str) -> str:
    """Return the lower-case suffix of ``path``, or raise :class:`ExportError` if not allowed.

    >>> check_suffix("plant.SVG", (".svg", ".png"), "diagram")
    '.svg'
    >>> check_suffix("plant.pdf", (".svg", ".png"), "diagram")
    Traceback (most recent call last):
    ...
    flowsheet.errors.ExportError: cannot write a diagram as '.pdf': use .svg or .png
    """
    suffix = Path(path).suffix.lower()
    if suffix not in allowed:
        choices = " or ".join(allowed)
        shown = f"as '{suffix}'" if suffix else f"to '{Path(path).name}' (no suffix)"
        raise ExportError(f"cannot write a {what} {shown}: use {choices}")
    return suffix


def _num(v: float) -> str:
    text = f"{v:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _svg_path(d: list[Command]) -> str:
    return " ".join(c[0] + " ".join(_num(v) for v in c[1:]) for c in d)


def _svg_item(item: Shape | Text | Group, out: list[str]) -> None:
    if isinstance(item, Group):
        attrs = "".join(f" {k}={quoteattr(v)}" for k, v in item.attrs.items())
        cls = f" class={quoteattr(item.cls)}" if item.cls else ""
        out.append(f"<g{cls}{attrs}>")
        if item.title is not None:
            out.append(f"<title>{escape(item.title)}</title>")
        for sub in item.items:
            _svg_item(sub, out)
        out.append("</g>")
    elif isinstance(item, Shape):
        parts = [f'd="{_svg_path(item.d)}"', f'fill="{item.fill or "none"}"']
        if item.stroke:
            parts.append(f'stroke="{item.stroke}" stroke-width="{_num(item.width)}"')
            if item.dash:
                parts.append(f'stroke-dasharray="{" ".join(_num(v) for v in item.dash)}"')
        if item.opacity < 1:
            parts.append(f'fill-opacity="{item.opacity:.2f}" stroke-opacity="{item.opacity:.2f}"')
        out.append(f"<path {' '.join(parts)}/>")
    else:
        style = ""
        if item.bold:
            style += ' font-weight="bold"'
        if item.italic:
            style += ' font-style="italic"'
        if item.halo:
            style += ' stroke="#ffffff" stroke-width="3" paint-order="stroke"'
        out.append(f'<text x="{_num(item.x)}" y="{_num(item.y)}" font-size="{_num(item.size)}"'
                   f' fill="{item.color}" text-anchor="{item.anchor}"{style}>'
                   f"{escape(item.text)}</text>")


def to_svg(canvas: Canvas, *, declaration: bool = True) -> str:
    """Return the canvas as a self-contained SVG document (no scripts, fonts or links)."""
    w, h = _num(canvas.width), _num(canvas.height)
    out = ['<?xml version="1.0" encoding="UTF-8"?>'] if declaration else []
    out.append(f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
               f'viewBox="0 0 {w} {h}" font-family="{FONT}" stroke-linejoin="round">')
    out.append(f'<rect width="{w}" height="{h}" fill="{canvas.background}"/>')
    for item in canvas.items:
        _svg_item(item, out)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _flatten(items: list[Shape | Text | Group], shapes: list[Shape], texts: list[Text]) -> None:
    for item in items:
        if isinstance(item, Group):
            _flatten(item.items, shapes, texts)
        elif isinstance(item, Shape):
            shapes.append(item)
        else:
            texts.append(item)


def save_png(canvas: Canvas, path: str | os.PathLike, *, max_pixels: float = 24e6,
             scale: float = 1.5) -> None:
    """Draw the canvas with matplotlib (Agg, no pyplot) and write it atomically as PNG.

    One canvas pixel becomes ``scale`` image pixels (at most one for canvases above four
    million pixels), less if the image would exceed ``max_pixels`` or 16,000 pixels a side.
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.collections import PathCollection
        from matplotlib.colors import to_rgba
        from matplotlib.figure import Figure
        from matplotlib.path import Path as MplPath
        from matplotlib.patheffects import withStroke
    except ImportError as exc:  # pragma: no cover - matplotlib is a declared dependency
        raise ExportError("PNG export needs matplotlib", hint="pip install matplotlib") from exc

    w, h = max(canvas.width, 1.0), max(canvas.height, 1.0)
    if w * h > 4e6:
        scale = min(scale, 1.0)
    scale = min(scale, math.sqrt(max_pixels / (w * h)), 16000 / max(w, h))
    fig = Figure(figsize=(w / 100, h / 100), dpi=100 * scale, facecolor=canvas.background)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, w)
    ax.set_ylim(h, 0)
    ax.set_axis_off()
    pt = 0.72  # points per canvas pixel at the nominal 100 dpi
    shapes: list[Shape] = []
    texts: list[Text] = []
    _flatten(canvas.items, shapes, texts)
    codes = {"M": MplPath.MOVETO, "L": MplPath.LINETO, "C": MplPath.CURVE4}
    paths, faces, edges, widths, styles = [], [], [], [], []
    for s in shapes:
        verts, kinds = [], []
        for c in s.d:
            if c[0] == "Z":
                verts.append(verts[-1] if verts else (0.0, 0.0))
                kinds.append(MplPath.CLOSEPOLY)
                continue
            pts = list(zip(c[1::2], c[2::2], strict=True))
            verts.extend(pts)
            kinds.extend([codes[c[0]]] * len(pts))
        paths.append(MplPath(verts, kinds))
        faces.append(to_rgba(s.fill, s.opacity) if s.fill else (0, 0, 0, 0))
        edges.append(to_rgba(s.stroke, s.opacity) if s.stroke else (0, 0, 0, 0))
        widths.append(s.width * pt if s.stroke else 0.0)
        styles.append((0, [v / s.width for v in s.dash]) if s.dash else "solid")
    if paths:
        ax.add_collection(PathCollection(paths, facecolors=faces, edgecolors=edges,
                                         linewidths=widths, linestyles=styles,
                                         capstyle="butt", joinstyle="round"))
    align = {"start": "left", "middle": "center", "end": "right"}
    halo = [withStroke(linewidth=3 * pt, foreground=canvas.background)]
    for t in texts:
        ax.text(t.x, t.y, t.text, fontsize=t.size * pt, color=t.color, ha=align[t.anchor],
                va="baseline", family="DejaVu Sans", fontweight="bold" if t.bold else "normal",
                fontstyle="italic" if t.italic else "normal",
                path_effects=halo if t.halo else None)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", facecolor=canvas.background,
                    pil_kwargs={"compress_level": 1 if w * h * scale**2 > 4e6 else 6})


def write_svg_or_png(canvas: Canvas, path: str | os.PathLike, suffix: str) -> None:
    """Write ``canvas`` to ``path`` as SVG text or PNG image, following ``suffix``."""
    if suffix == ".svg":
        atomic_write(path, to_svg(canvas))
    else:
        save_png(canvas, path)
