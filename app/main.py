"""Entry point of the ``propscope`` command."""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="propscope",
        description="Propscope: step forward and backward propagation of a Keras-style MLP.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument("--backends", action="store_true",
                        help="list the compute backends and devices available here and exit")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``propscope`` command; with no option, open the main window."""
    args = build_parser().parse_args(argv)
    if args.version:
        import core

        print(f"propscope {core.__version__}")
        return 0
    if args.backends:
        from core.backend import available_backends

        for entry in available_backends():
            print(entry["label"])
        return 0
    from app.window import run_app

    return run_app()


if __name__ == "__main__":
    sys.exit(main())
