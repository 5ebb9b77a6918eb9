"""Charts drawn on the server as SVG: the character network, the arc, the dialogue share.

Plain SVG strings with every name escaped, so pages need no JavaScript charting library
and work offline. Colours match the reader's (``reader.speaker_colours``); each chart also
carries text (labels, ``<title>`` tooltips), so nothing is told by colour alone.
"""

from __future__ import annotations

import math
from html import escape

import networkx as nx

from ficlens.model import Analysis, Arc

# The reader's palette (static/style.css .sp0 ... .sp9), repeated here for SVG fills.
PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
)
MAX_NODES = 24  # more is unreadable; the least present characters are left out


def _colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _svg(width: int, height: int, label: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(label)}" class="chart">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def interactions(analysis: Analysis) -> dict[tuple[str, str], int]:
    """Lines of dialogue between each pair of characters (either way), by speaker/addressee."""
    counts: dict[tuple[str, str], int] = {}
    for quote in analysis.quotes:
        if not quote.speech or quote.speaker is None:
            continue
        for addressee in quote.addressees:
            if addressee != quote.speaker:
                pair = (min(quote.speaker, addressee), max(quote.speaker, addressee))
                counts[pair] = counts.get(pair, 0) + 1
    return counts


def network_svg(analysis: Analysis, width: int = 640, height: int = 440) -> str:
    """Characters as nodes sized by presence (mentions), edges by interaction; romance apart."""
    # Characters only mentioned are never on the page: not part of the network.
    present = [c for c in analysis.characters if c.role != "mentioned"]
    present = sorted(present, key=lambda c: -c.mentions)[:MAX_NODES]
    ids = {c.id for c in present}
    colours = {c.id: i for i, c in enumerate(analysis.characters)}
    graph = nx.Graph()
    graph.add_nodes_from(c.id for c in present)
    for (a, b), count in interactions(analysis).items():
        if a in ids and b in ids:
            graph.add_edge(a, b, weight=float(count), lines=count, kinds=set())
    for relationship in analysis.relationships:
        members = [m for m in relationship.characters if m in ids]
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if not graph.has_edge(a, b):
                    graph.add_edge(a, b, weight=1.0, lines=0, kinds=set())
                edge = graph.edges[a, b]
                edge["kinds"].add(relationship.kind)
                edge["weight"] += 4 * max(relationship.score, 0.0)
                edge["notation"] = relationship.notation
    if not present:
        return _svg(width, 80, "Character network: no characters found", [_empty(width)])

    # A seeded layout: the same analysis always draws the same picture.
    points = _fit(_layout(graph, [c.id for c in present]), width, height - 20)
    largest = max((c.mentions for c in present), default=1) or 1
    heaviest = max((d["weight"] for _, _, d in graph.edges(data=True)), default=1.0) or 1.0
    names = {c.id: c.name for c in analysis.characters}
    body: list[str] = []
    for a, b, data in graph.edges(data=True):
        (x1, y1), (x2, y2) = points[a], points[b]
        stroke = 1.5 + 6 * data["weight"] / heaviest
        romantic = "romantic" in data["kinds"]
        kind = " ".join(sorted(data["kinds"])) or "dialogue"
        tip = f"{names[a]} – {names[b]}: {data['lines']} lines to each other"
        if data["kinds"]:
            tip += f"; {kind} ({data.get('notation', '')})"
        body.append(
            f'<line class="edge {"romantic" if romantic else "plain"}" data-kind="{escape(kind)}" '
            f'x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke-width="{stroke:.1f}"><title>{escape(tip)}</title></line>'
        )
    for c in present:
        x, y = points[c.id]
        radius = 6 + 22 * math.sqrt(c.mentions / largest)
        tip = f"{c.name}: {c.role or 'role unknown'}, {c.mentions} mentions, {c.quotes} lines"
        body.append(
            f'<g class="node" data-character="{escape(c.id)}">'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" '
            f'fill="{_colour(colours[c.id])}"><title>{escape(tip)}</title></circle>'
            f'<text x="{x:.1f}" y="{y + radius + 13:.1f}" text-anchor="middle">'
            f"{escape(c.name)}</text></g>"
        )
    body.append(_network_legend(height))
    return _svg(width, height, "Character network", body)


def _layout(graph: nx.Graph, order: list[str]) -> dict[str, tuple[float, float]]:
    """Positions: the characters who talk laid out by springs (edges pull, everyone pushes);
    those who talk to nobody in a row beneath, so they do not squeeze the rest together."""
    connected = [node for node in order if graph.degree(node) > 0]
    alone = [node for node in order if graph.degree(node) == 0]
    positions: dict[str, tuple[float, float]] = {}
    if len(connected) > 1:
        # Unweighted: a chatty pair should not collapse onto one point; widths show weight.
        spread = 2.0 / math.sqrt(len(connected))
        laid = nx.spring_layout(
            graph.subgraph(connected), k=spread, iterations=200, seed=7, weight=None
        )
        positions = {node: (float(x), float(y)) for node, (x, y) in laid.items()}
    elif connected:
        positions = {connected[0]: (0.0, 0.0)}
    if alone:
        low = max((y for _, y in positions.values()), default=0.0) + 0.6
        for i, node in enumerate(alone):
            positions[node] = (-1.0 + 2.0 * (i + 0.5) / len(alone), low)
    return positions


def _fit(
    positions: dict[str, tuple[float, float]], width: int, height: int
) -> dict[str, tuple[float, float]]:
    """Stretch a layout to fill the picture, whatever its own scale, leaving room for labels."""
    margin_x, margin_y = 80, 40
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    fitted = {}
    for key, (x, y) in positions.items():
        fx = 0.5 if max(xs) == min(xs) else (x - min(xs)) / span_x
        fy = 0.5 if max(ys) == min(ys) else (y - min(ys)) / span_y
        fitted[key] = (
            margin_x + fx * (width - 2 * margin_x),
            margin_y + fy * (height - 2 * margin_y),
        )
    return fitted


def _network_legend(height: int) -> str:
    y = height - 12
    return (
        f'<g class="legend" transform="translate(8 {y})">'
        '<line class="edge plain" x1="0" y1="-4" x2="28" y2="-4" stroke-width="3"/>'
        '<text x="34" y="0">talk to each other</text>'
        '<line class="edge romantic" x1="170" y1="-4" x2="198" y2="-4" stroke-width="3"/>'
        '<text x="204" y="0">romantic</text></g>'
    )


def _empty(width: int, message: str = "nothing to draw") -> str:
    return f'<text x="{width / 2:.0f}" y="45" text-anchor="middle">{escape(message)}</text>'


def arc_svg(arc: Arc, width: int = 640, height: int = 220) -> str:
    """The emotional arc: valence over narrative time, zero marked, shape and ending named."""
    series = arc.series
    label = "Emotional arc"
    if arc.shape or arc.ending:
        label += f": {arc.shape or 'shape unknown'}, {arc.ending or 'ending unknown'} ending"
    if not series:
        return _svg(width, 80, "Emotional arc: not measured", [_empty(width, "no arc measured")])
    left, right, top, bottom = 44, 12, 14, 28
    peak = max(max(abs(v) for v in series), 1e-9)
    inner_w, inner_h = width - left - right, height - top - bottom

    def point(i: int, value: float) -> tuple[float, float]:
        x = left + (i / max(len(series) - 1, 1)) * inner_w
        return x, top + (1 - (value / peak + 1) / 2) * inner_h

    zero_y = point(0, 0.0)[1]
    path = " ".join(
        f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}"
        for i, (x, y) in (
            (i, point(i, v)) for i, v in enumerate(series if len(series) > 1 else series * 2)
        )
    )
    body = [
        f'<line class="axis" x1="{left}" y1="{zero_y:.1f}" x2="{width - right}" '
        f'y2="{zero_y:.1f}"/>',
        f'<text class="tick" x="{left - 6}" y="{top + 10}" text-anchor="end">+</text>',
        f'<text class="tick" x="{left - 6}" y="{zero_y + 4:.1f}" text-anchor="end">0</text>',
        f'<text class="tick" x="{left - 6}" y="{height - bottom}" text-anchor="end">−</text>',
        f'<text class="tick" x="{left}" y="{height - 8}">beginning</text>',
        f'<text class="tick" x="{width - right}" y="{height - 8}" text-anchor="end">end</text>',
        f'<path class="arc" d="{path}"><title>{escape(label)}</title></path>',
    ]
    return _svg(width, height, label, body)


def dialogue_share_svg(analysis: Analysis, width: int = 640) -> str:
    """Each speaking character's share of the words spoken, as labelled bars."""
    speakers = sorted(
        (c for c in analysis.characters if c.words_spoken > 0), key=lambda c: -c.words_spoken
    )[:MAX_NODES]
    total = sum(c.words_spoken for c in speakers)
    if not total:
        return _svg(width, 80, "Dialogue share: nobody speaks", [_empty(width, "no dialogue")])
    colours = {c.id: i for i, c in enumerate(analysis.characters)}
    row, label_w = 26, 150
    body: list[str] = []
    for i, c in enumerate(speakers):
        share = c.words_spoken / total
        y = 8 + i * row
        bar = max(share * (width - label_w - 70), 1.0)
        body.append(
            f'<g class="bar" data-character="{escape(c.id)}">'
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{escape(c.name)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{bar:.1f}" height="{row - 8}" '
            f'fill="{_colour(colours[c.id])}"><title>{escape(c.name)}: {c.words_spoken} words, '
            f"{c.quotes} lines</title></rect>"
            f'<text x="{label_w + bar + 6:.1f}" y="{y + 15}">{share:.0%}</text></g>'
        )
    return _svg(width, 16 + len(speakers) * row, "Dialogue share per character", body)
