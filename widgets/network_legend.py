"""What the network canvas writes: the phase (which press of the batch, what it computes) and the colour legend."""

from __future__ import annotations

from widgets.display import display
from widgets.i18n import phase_text, tr, tr_noop
from widgets.palette import BACKWARD, FORWARD, LOSS, NEGATIVE, POSITIVE, UPDATE

#: what each phase computes, in one line (English source; ``{layer}``, ``{optimizer}`` filled in)
WHAT = {"start": tr_noop("No batch yet: F6 sends the first batch forward, one layer per press"),
        "forward": tr_noop("a = f(x·W + b) in {layer}"),
        "loss": tr_noop("How far is ŷ from y? Each sample's loss, their mean, and ∂L/∂ŷ to start back"),
        "backward": tr_noop("δ = ∂L/∂a · f′(z) and ∂L/∂W = aᵀ·δ in {layer}; δ·Wᵀ goes to the layer below"),
        "update": tr_noop("W ← W + ΔW in every layer ({optimizer})")}
COLORS = {"start": (60, 60, 60), "forward": FORWARD, "loss": LOSS, "backward": BACKWARD, "update": UPDATE}
#: what colours the nodes, as the legend names it
NODE_MEANING = {"activation": tr_noop("nodes: activation a"), "δ": tr_noop("nodes: δ = ∂L/∂z"),
                "∂L/∂ŷ": tr_noop("nodes: a, at the output ∂L/∂ŷ")}


def _hex(color) -> str:
    return "#%02x%02x%02x" % tuple(color[:3])


def headline(snap, sample: int, class_names: tuple[str, ...]) -> str:
    """The phase in large type (``Phase 3 of 6 · loss``) with what it computes, and the sample shown."""
    color = _hex(COLORS.get(snap.phase, (60, 60, 60)))
    layer = None if snap.phase_layer is None else snap.layers[snap.phase_layer].name
    if snap.phase == "start":
        title = phase_text("start")
    else:
        title = tr("Phase {k} of {n}").format(k=snap.phase_index + 1, n=snap.phases_per_batch) + " · " + \
            phase_text(snap.phase, layer)
    what = tr(WHAT.get(snap.phase, "")).format(layer=layer or "", optimizer=snap.optimizer)
    where = ""
    if snap.x is not None:
        where = tr("sample {n} of {count}").format(n=sample, count=len(snap.x))
        if snap.y is not None and class_names:
            y = snap.y.reshape(len(snap.y), -1)[sample]
            c = int(y.argmax()) if y.size > 1 else int(round(float(y[0])))
            if 0 <= c < len(class_names):
                where += f" ({class_names[c]})"
    small = display().css_pt("text")
    return (f"<span style='color:{color}; font-weight:bold'>{title}</span>"
            + (f"&nbsp;&nbsp;<span style='font-size:{small}; color:#333'>{where}</span>" if where else "")
            + f"<br><span style='font-size:{small}'>{what}</span>")


def legend_html(colored_by: str) -> str:
    """Edge colour = sign, thickness = |w|, node colour = a or δ on the blue–white–red scale."""
    pos, neg = _hex(POSITIVE), _hex(NEGATIVE)
    swatch = "<span style='color:{c}'>■</span>"
    return (f"<span style='color:{pos}'><b>━━</b></span> w &gt; 0 &nbsp;"
            f"<span style='color:{neg}'><b>━━</b></span> w &lt; 0, " + tr("thicker = larger |w|")
            + " &nbsp;·&nbsp; " + tr(NODE_MEANING.get(colored_by, NODE_MEANING["activation"]))
            + " " + swatch.format(c=neg) + "− " + "<span style='color:#999999'>□</span>0 "
            + swatch.format(c=pos) + "+ " + tr("(scale under each column)"))
