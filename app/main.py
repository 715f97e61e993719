"""Entry point of the ``propscope`` command: the GUI, or a headless sub-command."""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="propscope",
        description="Propscope: step forward and backward propagation of a Keras-style MLP. "
                    "With no command, opens the desktop app.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument("--backends", action="store_true",
                        help="list the compute backends and devices available here and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("gui", help="open the desktop app (the default)")
    data = sub.add_parser("data", help="load a dataset file (CSV, TSV, NPZ, NPY, IDX[.gz]) or image folder "
                                       "and describe it, or say exactly what is wrong with it")
    data.add_argument("path", help="the file (or a folder with one subfolder per class)")
    data.add_argument("--label-column", help="CSV: label column, by index (0-based, negative from the end) or name")
    data.add_argument("--delimiter", help="CSV: cell delimiter (default: sniffed)")
    data.add_argument("--x-key", help="NPZ: name of the samples array")
    data.add_argument("--y-key", help="NPZ: name of the labels array")
    data.add_argument("--drop-nonfinite", action="store_true", help="CSV: drop rows with NaN/Inf instead of failing")
    from app.cli import add_commands

    add_commands(sub)
    return parser


def _data_command(args: argparse.Namespace) -> int:
    from app.cli_errors import one_line_errors

    return one_line_errors(_describe_data)(args)


def _describe_data(args: argparse.Namespace) -> int:
    from core.datasets import DatasetError, load_file

    options = {}
    if args.label_column is not None:
        lc = args.label_column
        options["label_column"] = int(lc) if lc.lstrip("-").isdigit() else lc
    if args.delimiter is not None:
        options["delimiter"] = "\t" if args.delimiter in ("\\t", "tab") else args.delimiter
    if args.drop_nonfinite:
        options["drop_nonfinite"] = True
    if args.x_key or args.y_key:
        options.update(x_key=args.x_key, y_key=args.y_key)
    try:
        ds = load_file(args.path, **options)
    except DatasetError as exc:
        print(f"propscope: cannot load data: {exc}", file=sys.stderr)
        return 2
    except TypeError as exc:
        print(f"propscope: {exc}", file=sys.stderr)
        return 2
    print(ds.describe())
    print(f"source: {ds.source}")
    print(f"task: {ds.task}; samples: {ds.x.dtype} {ds.x.shape}; labels: {ds.y.dtype} {ds.y.shape}")
    if ds.class_names:
        counts = ds.class_counts()
        print("classes: " + ", ".join(f"{i}={name} ({counts[i]:,})" for i, name in enumerate(ds.class_names)))
    for warning in ds.meta.get("warnings", []):
        print(f"warning: {warning}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the ``propscope`` command."""
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
    if args.command == "data":
        return _data_command(args)
    if args.command in ("summary", "train", "export", "open"):
        from app.cli import COMMANDS

        return COMMANDS[args.command](args)
    from app.launch import run_app

    return run_app()


if __name__ == "__main__":
    sys.exit(main())
