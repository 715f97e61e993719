"""The translation marker, importable without Qt (settings tables, lessons, help texts)."""


def tr_noop(text: str) -> str:
    """Mark ``text`` as translatable where it is defined (a table); ``tr`` it where it is shown.

    ``app.i18n.source_strings`` collects the argument for the translation catalogue.
    """
    return text
