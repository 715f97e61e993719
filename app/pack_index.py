"""The lecture pack's index pages: ``index.md`` and ``index.html`` (offline: no script, no CDN), in the
interface's language.

The chain rule is written as MathML, which browsers draw themselves, and as
LaTeX in ``index.md`` (and ``chain_rule.tex``).
"""

from __future__ import annotations

import html
from pathlib import Path

from core.export.atomic import write_text
from core.export.chain_rule import ChainRule, to_latex, to_mathml
from widgets.i18n import tr, tr_noop

STYLE = ("body{font-family:'DejaVu Sans','Noto Sans','NanumGothic','Malgun Gothic',sans-serif;max-width:1100px;"
         "margin:2em auto;padding:0 1em;color:#222}pre{background:#f6f6f6;padding:1em;overflow:auto}"
         "figure{margin:0 0 2.5em}figcaption{color:#555;font-size:90%}math{font-size:120%;margin:.4em 0}"
         "p.note{color:#555;margin:0 0 1em 2em;font-size:90%}code{background:#f3f3f3;padding:0 .2em}"
         ".fingerprint{font-family:monospace;font-size:120%;background:#fff6d5;padding:.1em .4em}")

#: What each weights file is (the index lists only those written: weights.pt needs torch).
WEIGHT_NOTES = {"weights.npz": tr_noop("Keras variable names"), "weights.pt": tr_noop("PyTorch state_dict"),
                "model.weights.h5": tr_noop("Keras model.load_weights"),
                "torch_model.py": tr_noop("the same network in PyTorch")}
FILES = [("handout.pdf", tr_noop("every figure on its own page, the summary and the chain rule")),
         ("history_steps.csv", tr_noop("loss and metrics per step")),
         ("history_epochs.csv", tr_noop("per epoch")),
         ("layer_stats.csv", tr_noop("per layer statistics over the steps")),
         ("summary.txt", tr_noop("the model")), ("config.json", tr_noop("the settings and the lesson fingerprint"))]


def write_index(out: Path, title: str, when: str, facts: list[str], summary: str, figures, rule: ChainRule | None,
                weight_files: list[str] = ()) -> Path:
    """Write both index pages into ``out``; returns the path of ``index.html``. ``weight_files`` are the
    files written into ``weights/`` (an index links only files that exist)."""
    files = list(FILES)
    if weight_files:
        files.insert(0, ("weights/", ", ".join(f"{n} ({tr(WEIGHT_NOTES[n])})" if n in WEIGHT_NOTES else n
                                               for n in weight_files)))
    _markdown(out, title, when, facts, summary, figures, rule, files)
    return _html(out, title, when, facts, summary, figures, rule, files, list(weight_files))


def _figure_heading(k: int, title: str) -> str:
    return tr("Figure {n}.").format(n=k) + " " + title


def _markdown(out, title, when, facts, summary, figures, rule, files) -> None:
    md = [f"# {title}", "", tr("Made with Propscope on {when}.").format(when=when), ""]
    md += [f"{line}  " for line in facts] + ["", "## " + tr("Model"), "", "```", summary, "```", ""]
    for k, fig in enumerate(figures, start=1):
        md += [f"## {_figure_heading(k, fig.title)}", "", f"![{fig.title}](figures/{fig.png})", "",
               f"*{fig.caption}*", "", f"SVG: [figures/{fig.svg}](figures/{fig.svg}) · " + tr("numbers") + ": "
               + ", ".join(f"[{name}](figures/{name})" for name in fig.data), ""]
    if rule is not None:
        md += ["## " + tr("The chain rule of {title}").format(title=rule.title_in(tr)), "", "```latex",
               to_latex(rule).rstrip(), "```", "", "[chain_rule.tex](chain_rule.tex)", ""]
    md += ["## " + tr("Files"), ""] + [f"- `{name}`: {tr(what)}" for name, what in files] + [""]
    write_text(out / "index.md", "\n".join(md), durable=False)


def _html(out, title, when, facts, summary, figures, rule, files, weight_files) -> Path:
    from app.i18n import current_language

    e = html.escape
    body = [f"<h1>{e(title)}</h1>", f"<p>{e(tr('Made with Propscope on {when}.').format(when=when))}</p>"]
    for k, line in enumerate(facts):
        if k == len(facts) - 1 and " — " in line:  # the lesson fingerprint: the code stands out
            code, _, rest = line.partition(" — ")
            body.append(f"<p><span class='fingerprint'>{e(code)}</span> — {e(rest)}</p>")
        else:
            body.append(f"<p>{e(line)}</p>")
    body += [f"<p><a href='handout.pdf'>{e(tr('The handout (PDF)'))}</a></p>", f"<h2>{e(tr('Model'))}</h2>",
             f"<pre>{e(summary)}</pre>"]
    for k, fig in enumerate(figures, start=1):
        data = " · ".join(f"<a href='figures/{e(name)}'>{e(name)}</a>" for name in fig.data)
        body += [f"<h2>{e(_figure_heading(k, fig.title))}</h2>",
                 f"<figure><img src='figures/{e(fig.png)}' alt='{e(fig.title)}' style='max-width:100%'>"
                 f"<figcaption>{e(fig.caption)}<br><a href='figures/{e(fig.svg)}'>SVG</a>"
                 + (f" · {e(tr('numbers'))}: {data}" if data else "") + "</figcaption></figure>"]
    if rule is not None:
        body += [f"<h2>{e(tr('The chain rule of {title}').format(title=rule.title_in(tr)))}</h2>",
                 to_mathml(rule, tr), "<p>LaTeX: <a href='chain_rule.tex'>chain_rule.tex</a></p>"]
    items = []
    for name, what in files:
        if name == "weights/":  # each file written, linked
            what_html = ", ".join(f"<a href='weights/{e(n)}'>{e(n)}</a>"
                                  + (f" ({e(tr(WEIGHT_NOTES[n]))})" if n in WEIGHT_NOTES else "") for n in weight_files)
        else:
            what_html = e(tr(what))
        items.append(f"<li><a href='{e(name)}'>{e(name)}</a>: {what_html}</li>")
    body += [f"<h2>{e(tr('Files'))}</h2><ul>"] + items + ["</ul>"]
    page = (f"<!doctype html><html lang='{current_language()}'><head><meta charset='utf-8'><title>" + e(title)
            + "</title><style>" + STYLE + "</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")
    write_text(out / "index.html", page, durable=False)
    return out / "index.html"
