"""One neuron's chain rule with the numbers of a snapshot, written as LaTeX, MathML, HTML and plain text.

For neuron ``j`` of a Dense layer, sample ``n`` of the batch::

    z_j = Σ_i a_i w_ij + b_j                    a_j = f(z_j)
    ∂L/∂a_j = Σ_k w_jk δ_k      (the next layer's δ: this is backpropagation)
    δ_j = ∂L/∂a_j · f′(z_j)
    ∂L/∂w_ij = Σ_n a_i⁽ⁿ⁾ δ_j⁽ⁿ⁾                  ∂L/∂b_j = Σ_n δ_j⁽ⁿ⁾
    Δw_ij from the optimizer

Every number is read from the snapshot (computed at capture); the sums are
recomputed here from the arrays they sum, so the written equation holds as
shown. The equations are a small tree of parts rendered four ways, so the
``.tex`` snippet, the MathML of ``index.html`` (no CDN: browsers draw MathML
themselves) and the PDF handout say the same thing.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Sym:
    """A symbol with optional subscript and superscript (``a_i^{(n)}``)."""

    base: str
    sub: str = ""
    sup: str = ""


@dataclass(frozen=True)
class Op:
    """An operator or relation: ``=``, ``+``, ``·``, ``×``, ``−``, ``(``, ``)``."""

    text: str


@dataclass(frozen=True)
class Sum:
    """A summation sign over ``index``."""

    index: str


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Word:
    """Upright text inside an equation (a function name such as ``relu``)."""

    text: str


#: Every note a row may carry, as English templates: a user interface translates the template and then
#: fills it in (``app.handout`` lists them for the translation catalogue).
NOTES = {
    "inputs": "sum over {n} inputs; b_j = {b}",
    "back": "k over the {n} neurons of {layer}: the error comes back through the weights",
    "from_loss": "from the loss {loss}",
    "from_layer": "from {layer}",
    "softmax": "softmax couples the outputs",
    "softmax_cce": "softmax couples the outputs; with crossentropy this is (ŷ − y)/N",
    "batch_sum": "i = {i}, the input with the largest |∂L/∂w|; over the {n} samples of the batch",
    "update": "{optimizer}, learning rate {lr}",
    "update_state": "{optimizer}, learning rate {lr}; state: {state}",
}


@dataclass(frozen=True)
class Row:
    """One equation and a note saying what it is (``NOTES[note]`` filled with ``values``)."""

    parts: tuple
    note_key: str = ""
    values: tuple = ()

    def note(self, translate=lambda text: text) -> str:
        """The note in English, or through ``translate`` (a template first, then filled in)."""
        return translate(NOTES[self.note_key]).format(**dict(self.values)) if self.note_key else ""


@dataclass(frozen=True)
class ChainRule:
    """The equations of neuron ``unit`` of ``layer`` for sample ``sample`` (``input_index``: the i shown)."""

    layer: str
    unit: int
    sample: int
    step: int
    phase: str
    rows: tuple[Row, ...] = field(default_factory=tuple)

    TITLE = "{layer}, neuron j = {unit}, sample n = {sample}, step {step} ({phase})"

    @property
    def title(self) -> str:
        return self.title_in()

    def title_in(self, translate=lambda text: text) -> str:
        return translate(self.TITLE).format(layer=self.layer, unit=self.unit, sample=self.sample, step=self.step,
                                            phase=self.phase)


DL = "∂L/∂"  # written as a fraction in LaTeX and MathML


def _grad(of: Sym) -> tuple:
    return ("grad", of)


def _fmt(value: float) -> str:
    return f"{value:.6g}".replace("e-0", "e-").replace("e+0", "e+")


def chain_rule(snapshot, column: int, unit: int, sample: int = 0) -> ChainRule | None:
    """The chain rule of ``unit`` in the ``column``-th Dense layer (1-based, as the network view counts)."""
    dense = snapshot.weighted_layers
    if not 1 <= column <= len(dense):
        return None
    layer = dense[column - 1]
    j = int(min(max(unit, 0), layer.W.shape[1] - 1))
    n = sample
    rows: list[Row] = []
    W = layer.W
    if layer.z is not None and layer.x is not None:
        x = np.asarray(layer.x).reshape(len(layer.x), -1)
        n = min(n, len(x) - 1)
        b = 0.0 if layer.b is None else float(layer.b[j])
        z = float(x[n] @ W[:, j] + b)
        rows.append(Row((Sym("z", "j"), Op("="), Sum("i"), Sym("a", "i"), Sym("w", "ij"), Op("+"), Sym("b", "j"),
                         Op("="), Num(z)), "inputs", (("n", x.shape[1]), ("b", _fmt(b)))))
        rows.append(Row((Sym("a", "j"), Op("="), Word(layer.activation or "linear"), Op("("), Sym("z", "j"), Op(")"),
                         Op("="), Num(float(layer.a[n, j])))))
    if layer.delta is not None:
        rows += _backward_rows(snapshot, layer, j, n)
    if layer.dW is not None and layer.x is not None and layer.delta is not None:
        x = np.asarray(layer.x).reshape(len(layer.x), -1)
        i = int(layer.top_input[j]) if layer.top_input is not None else int(np.argmax(np.abs(layer.dW[:, j])))
        total = float(np.sum(x[:, i].astype(np.float64) * layer.delta[:, j]))
        rows.append(Row((_grad(Sym("w", f"{i},j")), Op("="), Sum("n"), Sym("a", "i", "(n)"), Sym("δ", "j", "(n)"),
                         Op("="), Num(total)), "batch_sum", (("i", i), ("n", len(x)))))
        if layer.db is not None:
            rows.append(Row((_grad(Sym("b", "j")), Op("="), Sum("n"), Sym("δ", "j", "(n)"), Op("="),
                             Num(float(np.sum(layer.delta[:, j], dtype=np.float64))))))
        if layer.dW_applied is not None:
            slots = "; ".join(f"{slot} = {_fmt(float(arrays[0][i, j]))}"
                              for slot, arrays in layer.optimizer_state.items())
            values = (("optimizer", snapshot.optimizer), ("lr", f"{snapshot.learning_rate:g}"), ("state", slots))
            rows.append(Row((Sym("Δw", f"{i},j"), Op("="), Num(float(layer.dW_applied[i, j]))),
                            "update_state" if slots else "update", values))
    return ChainRule(layer.name, j, n, snapshot.step, snapshot.phase_label, tuple(rows))


def _backward_rows(snapshot, layer, j: int, n: int) -> list[Row]:
    rows: list[Row] = []
    following = [la for la in snapshot.layers if la.index > layer.index]
    nxt = following[0] if following else None
    if nxt is not None and nxt.W is not None and nxt.delta is not None:
        g = float(np.asarray(nxt.W[j], np.float64) @ np.asarray(nxt.delta[n], np.float64))
        rows.append(Row((_grad(Sym("a", "j")), Op("="), Sum("k"), Sym("w", "jk"), Sym("δ", "k"), Op("="), Num(g)),
                        "back", (("n", nxt.W.shape[1]), ("layer", nxt.name))))
    elif layer.grad_a is not None:
        rows.append(Row((_grad(Sym("a", "j")), Op("="), Num(float(layer.grad_a[n, j]))),
                        *(("from_loss", (("loss", snapshot.loss_name),)) if nxt is None
                          else ("from_layer", (("layer", nxt.name),)))))
    d = float(layer.delta[n, j])
    if layer.activation == "softmax":
        rows.append(Row((Sym("δ", "j"), Op("="), Sym("a", "j"), Op("("), _grad(Sym("a", "j")), Op("−"), Sum("k"),
                         _grad(Sym("a", "k")), Sym("a", "k"), Op(")"), Op("="), Num(d)),
                        "softmax_cce" if "crossentropy" in snapshot.loss_name else "softmax"))
    elif layer.grad_a is not None and layer.fprime is not None:
        rows.append(Row((Sym("δ", "j"), Op("="), _grad(Sym("a", "j")), Op("·"), Sym("f′"), Op("("), Sym("z", "j"),
                         Op(")"), Op("="), Num(float(layer.grad_a[n, j])), Op("×"), Num(float(layer.fprime[n, j])),
                         Op("="), Num(d))))
    else:
        rows.append(Row((Sym("δ", "j"), Op("="), Num(d))))
    return rows


# --- LaTeX ------------------------------------------------------------------------------------------
_LATEX_NAMES = {"δ": r"\delta", "Δw": r"\Delta w", "f′": "f'", "−": "-", "·": r"\cdot", "×": r"\times"}


def _latex_sym(s: Sym) -> str:
    out = _LATEX_NAMES.get(s.base, s.base)
    if s.sub:
        out += "_{" + s.sub + "}"
    if s.sup:
        out += "^{" + s.sup + "}"
    return out


def _latex_part(p) -> str:
    if isinstance(p, Sym):
        return _latex_sym(p)
    if isinstance(p, Op):
        return {"(": r"\left(", ")": r"\right)"}.get(p.text, _LATEX_NAMES.get(p.text, p.text))
    if isinstance(p, Sum):
        return r"\sum_{" + p.index + "}"
    if isinstance(p, Num):
        return _fmt(p.value).replace("e", r"\mathrm{e}")
    if isinstance(p, Word):
        return r"\mathrm{" + p.text.replace("_", r"\_") + "}"
    return r"\frac{\partial L}{\partial " + _latex_sym(p[1]) + "}"


def to_latex(rule: ChainRule) -> str:
    """An ``align*`` block (needs amsmath), one equation a line, the note as a comment."""
    lines = [f"% Propscope: the chain rule of {rule.title}", r"\begin{align*}"]
    for k, row in enumerate(rule.rows):
        parts = [_latex_part(p) for p in row.parts]
        first = parts.index("=") if "=" in parts else 1
        body = " ".join(parts[:first]) + " &" + " ".join([""] + parts[first:])
        end = r" \\" if k < len(rule.rows) - 1 else ""
        lines.append(f"  {body}{end}" + (f"  % {row.note()}" if row.note_key else ""))
    lines.append(r"\end{align*}")
    return "\n".join(lines) + "\n"


# --- MathML -----------------------------------------------------------------------------------------
def _mi(text: str) -> str:
    return f"<mi>{html.escape(text)}</mi>"


def _mathml_sym(s: Sym) -> str:
    base = _mi(s.base) if len(s.base) == 1 else f"<mi mathvariant='normal'>{html.escape(s.base)}</mi>"
    if s.sub and s.sup:
        return f"<msubsup>{base}<mi>{html.escape(s.sub)}</mi><mi>{html.escape(s.sup)}</mi></msubsup>"
    if s.sub:
        return f"<msub>{base}<mi>{html.escape(s.sub)}</mi></msub>"
    return base


def _mathml_part(p) -> str:
    if isinstance(p, Sym):
        return _mathml_sym(p)
    if isinstance(p, Op):
        return f"<mo>{html.escape(p.text)}</mo>"
    if isinstance(p, Sum):
        return f"<munder><mo>∑</mo><mi>{html.escape(p.index)}</mi></munder>"
    if isinstance(p, Num):
        return f"<mn>{html.escape(_fmt(p.value))}</mn>"
    if isinstance(p, Word):
        return f"<mi mathvariant='normal'>{html.escape(p.text)}</mi>"
    return f"<mfrac><mrow><mo>∂</mo><mi>L</mi></mrow><mrow><mo>∂</mo>{_mathml_sym(p[1])}</mrow></mfrac>"


def to_mathml(rule: ChainRule, translate=lambda text: text) -> str:
    """Block ``<math>`` elements, one per equation, each followed by its note (HTML, no scripts)."""
    out = []
    for row in rule.rows:
        out.append("<math display='block'><mrow>" + "".join(_mathml_part(p) for p in row.parts) + "</mrow></math>")
        if row.note_key:
            out.append(f"<p class='note'>{html.escape(row.note(translate))}</p>")
    return "\n".join(out)


# --- HTML (Qt's rich text: the PDF handout) and plain text ------------------------------------------------
def _html_sym(s: Sym) -> str:
    out = f"<i>{html.escape(s.base)}</i>" if len(s.base) == 1 else html.escape(s.base)
    if s.sub:
        out += f"<sub>{html.escape(s.sub)}</sub>"
    if s.sup:
        out += f"<sup>{html.escape(s.sup)}</sup>"
    return out


def _html_part(p) -> str:
    if isinstance(p, Sym):
        return _html_sym(p)
    if isinstance(p, (Op, Word)):
        return html.escape(p.text)
    if isinstance(p, Sum):
        return f"Σ<sub>{html.escape(p.index)}</sub>"
    if isinstance(p, Num):
        return f"<b>{html.escape(_fmt(p.value))}</b>"
    return "∂L/∂" + _html_sym(p[1])


def _joined(parts, render) -> str:
    """Parts with spaces where a reader expects them: around relations and operators, none inside
    parentheses, none between a function's name and its parenthesis."""
    out = ""
    for k, part in enumerate(parts):
        text = render(part)
        before = parts[k - 1] if k else None
        function = isinstance(before, Word) or (isinstance(before, Sym) and before.base == "f′")
        if k and not (isinstance(part, Op) and part.text == ")") and not out.endswith("(") and not (
                isinstance(part, Op) and part.text == "(" and function):
            out += " "
        out += text
    return out


def to_html(rule: ChainRule, translate=lambda text: text) -> str:
    """Rich text with sub- and superscripts (what QTextDocument draws)."""
    rows = []
    for row in rule.rows:
        note = f"<br><span style='color:#555'>{html.escape(row.note(translate))}</span>" if row.note_key else ""
        rows.append("<p>" + _joined(row.parts, _html_part) + note + "</p>")
    return "\n".join(rows)


def _text_part(p) -> str:
    if isinstance(p, Sym):
        return p.base + (f"_{p.sub}" if p.sub else "") + (f"^{p.sup}" if p.sup else "")
    if isinstance(p, (Op, Word)):
        return p.text
    if isinstance(p, Sum):
        return f"Σ_{p.index}"
    if isinstance(p, Num):
        return _fmt(p.value)
    return DL + _text_part(p[1])


def to_text(rule: ChainRule) -> list[str]:
    """One line per equation, in plain Unicode."""
    return [_joined(row.parts, _text_part) for row in rule.rows]
