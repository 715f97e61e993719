"""The lecture pack's index pages: ``index.md`` and ``index.html`` (offline: no script, no CDN).

The chain rule is written as MathML, which browsers draw themselves, and as
LaTeX in ``index.md`` (and ``chain_rule.tex``).
"""

from __future__ import annotations

import html
from pathlib import Path

from core.export.atomic import write_text
from core.export.chain_rule import ChainRule, to_latex, to_mathml

STYLE = ("body{font-family:'DejaVu Sans','Noto Sans','NanumGothic','Malgun Gothic',sans-serif;max-width:1100px;"
         "margin:2em auto;padding:0 1em;color:#222}pre{background:#f6f6f6;padding:1em;overflow:auto}"
         "figure{margin:0 0 2.5em}figcaption{color:#555;font-size:90%}math{font-size:120%;margin:.4em 0}"
         "p.note{color:#555;margin:0 0 1em 2em;font-size:90%}code{background:#f3f3f3;padding:0 .2em}"
         ".fingerprint{font-family:monospace;font-size:120%;background:#fff6d5;padding:.1em .4em}")

FILES = [("weights/", "weights.npz (Keras variable names), weights.json, csv/, weights.pt (PyTorch state_dict, "
          "see torch_model.py), model.weights.h5 (Keras)"),
         ("handout.pdf", "every figure on its own page with its caption, the summary and the chain rule"),
         ("history_steps.csv", "loss and metrics per step"), ("history_epochs.csv", "per epoch"),
         ("layer_stats.csv", "per layer statistics over the steps"), ("summary.txt", "the model"),
         ("config.json", "the settings and the lesson fingerprint")]


def write_index(out: Path, title: str, when: str, facts: list[str], summary: str, figures, rule: ChainRule | None
                ) -> Path:
    """Write both index pages into ``out``; returns the path of ``index.html``."""
    _markdown(out, title, when, facts, summary, figures, rule)
    return _html(out, title, when, facts, summary, figures, rule)


def _markdown(out, title, when, facts, summary, figures, rule) -> None:
    md = [f"# {title}", "", f"Made with Propscope on {when}.", ""]
    md += [f"{line}  " for line in facts] + ["", "## Model", "", "```", summary, "```", ""]
    for k, fig in enumerate(figures, start=1):
        md += [f"## Figure {k}. {fig.title}", "", f"![{fig.title}](figures/{fig.png})", "", f"*{fig.caption}*", "",
               f"Vector: [figures/{fig.svg}](figures/{fig.svg}) · numbers: "
               + ", ".join(f"[{name}](figures/{name})" for name in fig.data), ""]
    if rule is not None:
        md += [f"## The chain rule of {rule.title}", "", "```latex", to_latex(rule).rstrip(), "```", "",
               "(also in [chain_rule.tex](chain_rule.tex))", ""]
    md += ["## Files", ""] + [f"- `{name}`: {what}" for name, what in FILES] + [""]
    write_text(out / "index.md", "\n".join(md), durable=False)


def _html(out, title, when, facts, summary, figures, rule) -> Path:
    e = html.escape
    body = [f"<h1>{e(title)}</h1>", f"<p>Made with Propscope on {e(when)}.</p>"]
    for line in facts:
        if line.startswith("Lesson fingerprint: "):
            code, _, rest = line[len("Lesson fingerprint: "):].partition(" — ")
            body.append(f"<p>Lesson fingerprint: <span class='fingerprint'>{e(code)}</span> — {e(rest)}</p>")
        else:
            body.append(f"<p>{e(line)}</p>")
    body += ["<p><a href='handout.pdf'>The handout (PDF)</a></p>", "<h2>Model</h2>", f"<pre>{e(summary)}</pre>"]
    for k, fig in enumerate(figures, start=1):
        data = " · ".join(f"<a href='figures/{e(name)}'>{e(name)}</a>" for name in fig.data)
        body += [f"<h2>Figure {k}. {e(fig.title)}</h2>",
                 f"<figure><img src='figures/{e(fig.png)}' alt='{e(fig.title)}' style='max-width:100%'>"
                 f"<figcaption>{e(fig.caption)}<br><a href='figures/{e(fig.svg)}'>SVG</a>"
                 + (f" · numbers: {data}" if data else "") + "</figcaption></figure>"]
    if rule is not None:
        body += [f"<h2>The chain rule of {e(rule.title)}</h2>", to_mathml(rule),
                 "<p>As LaTeX: <a href='chain_rule.tex'>chain_rule.tex</a></p>"]
    body += ["<h2>Files</h2><ul>"] + [f"<li><a href='{e(name)}'>{e(name)}</a>: {e(what)}</li>"
                                       for name, what in FILES] + ["</ul>"]
    page = ("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>" + e(title) + "</title><style>"
            + STYLE + "</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")
    write_text(out / "index.html", page, durable=False)
    return out / "index.html"
