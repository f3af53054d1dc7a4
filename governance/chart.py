"""The governance chart: who gives whom the mandate, as a tree for the list and a laid-out drawing."""

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import mark_safe

from core.kept import kept

from .models import Body

PARTIES_KEY = "parties"


@dataclass
class Node:
    body: Body | None  # None for the parties' root node
    label: str
    children: list["Node"] = field(default_factory=list)
    x: float = 0.0
    depth: int = 0


def build_tree(bodies: list[Body], parties_label: str) -> Node:
    """Bodies with a mandate giver hang under it; those mandated by the parties hang under the root."""
    by_giver: dict[int | None, list[Body]] = {}
    ids = {b.pk for b in bodies}
    for b in bodies:
        giver = b.mandate_giver_id if b.mandate_giver_id in ids else None
        by_giver.setdefault(giver, []).append(b)

    def make(body: Body, depth: int) -> Node:
        node = Node(body, body.short_name or body.name, depth=depth)
        node.children = [make(c, depth + 1) for c in by_giver.get(body.pk, [])]
        return node

    root = Node(None, parties_label)
    root.children = [make(b, 1) for b in by_giver.get(None, [])]
    return root


@dataclass
class Drawing:
    width: int
    height: int
    boxes: list[dict]
    lines: list[dict]


BOX_W, BOX_H, GAP_X, GAP_Y = 150, 44, 16, 56


# The rendered chart by version (BodyQuerySet.chart_version), in this process; a new version renders it anew.
def rendered(version: str, render: Callable[[], str]) -> str:
    return kept(version, lambda: mark_safe(render()))


def lay_out(root: Node) -> Drawing:
    """A simple tidy layout: leaves take the next slot, a parent sits over the middle of its children."""
    slot = [0]

    def place(node: Node) -> None:
        for child in node.children:
            place(child)
        if node.children:
            node.x = (node.children[0].x + node.children[-1].x) / 2
        else:
            node.x = slot[0]
            slot[0] += 1

    place(root)
    boxes, lines = [], []

    def emit(node: Node) -> None:
        cx = node.x * (BOX_W + GAP_X) + BOX_W / 2 + GAP_X
        top = node.depth * (BOX_H + GAP_Y) + GAP_X
        status = getattr(node.body, "status", "active") if node.body else "active"
        boxes.append(
            {
                "x": cx - BOX_W / 2,
                "y": top,
                "cx": cx,
                "ty": top + BOX_H / 2 + 5,
                "label": node.label[:22],
                "status": status,
            }
        )
        for child in node.children:
            ccx = child.x * (BOX_W + GAP_X) + BOX_W / 2 + GAP_X
            ctop = child.depth * (BOX_H + GAP_Y) + GAP_X
            mid = top + BOX_H + GAP_Y / 2
            lines.append({"d": f"M{cx:.0f},{top + BOX_H} V{mid:.0f} H{ccx:.0f} V{ctop}"})
            emit(child)

    emit(root)
    depth = max((b["y"] for b in boxes), default=0) + BOX_H + GAP_X
    return Drawing(width=int(max(slot[0], 1) * (BOX_W + GAP_X) + GAP_X), height=int(depth), boxes=boxes, lines=lines)


# --- HTML: built in Python because a chart of a few hundred bodies is too many template includes --------------

BADGES = {"paused": ("badge-paused", "Pausat"), "closed": ("badge-closed", "Avslutat")}


def _badge(status: str) -> str:
    css, text = BADGES.get(status, ("badge-active", "Aktivt"))
    return f' <span class="badge {css}">{text}</span>'


def tree_html(nodes: list[Node], url_prefix: str) -> str:
    """The nested list (the accessible structure of the chart). Body URLs are `url_prefix + slug + "/"`."""
    items = []
    for node in nodes:
        b = node.body
        short = f" ({escape(b.short_name)})" if b.short_name and b.short_name != b.name else ""
        badge = _badge(b.status) if getattr(b, "status", "active") != "active" else ""
        children = tree_html(node.children, url_prefix) if node.children else ""
        items.append(
            f'<li><a href="{escape(url_prefix)}{escape(b.slug)}/">{escape(b.name)}</a>{short}{badge}{children}</li>'
        )
    return mark_safe(f"<ul>{''.join(items)}</ul>")


def svg_html(drawing: Drawing) -> str:
    """The drawn chart; the list carries the same content for assistive technology."""
    lines = "".join(f'<path d="{d["d"]}" class="org-line"/>' for d in drawing.lines)
    boxes = "".join(
        f'<g class="org-box org-{escape(b["status"])}"><rect x="{b["x"]:.0f}" y="{b["y"]:.0f}" width="{BOX_W}" '
        f'height="{BOX_H}" rx="6"/><text x="{b["cx"]:.0f}" y="{b["ty"]:.0f}" text-anchor="middle">'
        f"{escape(b['label'])}</text></g>"
        for b in drawing.boxes
    )
    return mark_safe(
        f'<svg role="img" aria-labelledby="chart-svg-title" width="{drawing.width}" height="{drawing.height}" '
        f'viewBox="0 0 {drawing.width} {drawing.height}" class="org-chart">'
        f'<title id="chart-svg-title">Organisationsschema med samma innehåll som listan ovan</title>{lines}{boxes}</svg>'
    )
