"""Headless commands of ``propscope``: summary, train, export, data — the app's own code paths."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path

from app.cli_errors import bounded_float, bounded_int, input_shape, one_line_errors, say
from core import limits
from core.summary import summary_text
from core.presets import PRESETS
from settings.build import build_session
from settings.config import DataConfig, LayerRow, ModelSpec, TrainConfig, prepare
from settings.runtime import use_training_threads
from settings.vocabulary import LOSSES, OPTIMIZERS, default_loss, loss_name

MODEL_HELP = ("a course preset (" + ", ".join(PRESETS) + ") or layers separated by commas: UNITS:ACTIVATION for a "
              "Dense layer (UNITS:ACTIVATION:l2=0.001 adds a kernel penalty, l1= or l1_l2= too), dropout:RATE, bn "
              "for BatchNormalization, e.g. '100:relu:l2=0.001,bn,dropout:0.3,10:softmax' (the last is the output "
              "layer)")
DATA_HELP = ("a file (CSV/TSV/NPZ/NPY/IDX[.gz]) or a folder of class subfolders, or builtin:NAME "
             "(spiral, circle, xor, gaussians, moons, plane, multi_gaussian), or gate:XOR/AND/OR/NAND")


def parse_model(text: str) -> ModelSpec:
    if text in PRESETS:
        return ModelSpec.from_preset(text)
    parts = text.split(",")
    limits.check_limit("the number of layers", len(parts), "MAX_LAYERS", minimum=1)
    return ModelSpec(tuple(_parse_layer(part.strip()) for part in parts))


def _parse_layer(part: str) -> LayerRow:
    """One layer of ``--model``: ``100:relu``, ``100:relu:l2=0.001``, ``dropout:0.3`` or ``bn``."""
    head, _, rest = part.partition(":")
    if head.lower() in ("bn", "batchnorm", "batchnormalization"):
        if rest:
            raise ValueError(f"bad layer {part!r}: BatchNormalization takes no arguments here (write bn)")
        return LayerRow(kind="BatchNormalization")
    if head.lower() == "dropout":
        try:
            rate = float(rest)
        except ValueError:
            raise ValueError(f"bad layer {part!r}: expected dropout:RATE such as dropout:0.3") from None
        if not 0.0 <= rate < 1.0:
            raise ValueError(f"bad layer {part!r}: a dropout rate lies from 0 up to (not including) 1")
        return LayerRow(kind="Dropout", rate=rate)
    if not head.isdigit():
        raise ValueError(f"bad layer {part!r}: expected UNITS:ACTIVATION such as 100:relu, dropout:RATE or bn")
    limits.check_limit(f"layer {part!r}: units", int(head), "MAX_UNITS", minimum=1)
    act, _, penalty = rest.partition(":")
    if not penalty:
        return LayerRow(int(head), act.strip() or "linear")
    kind, _, value = penalty.partition("=")
    try:
        factor = float(value)
    except ValueError:
        factor = -1.0
    if kind not in ("l1", "l2", "l1_l2") or not 0.0 <= factor <= 1e6:
        raise ValueError(f"bad layer {part!r}: a kernel penalty is l1=F, l2=F or l1_l2=F with 0 ≤ F ≤ 1e6, "
                         "e.g. 100:relu:l2=0.001")
    return LayerRow(int(head), act.strip() or "linear", penalty=kind, factor=factor)


def parse_data(text: str, args: argparse.Namespace) -> DataConfig:
    base = DataConfig(seed=args.seed, validation_fraction=args.validation)
    if text.startswith("builtin:"):
        return DataConfig(source="builtin", builtin=text.split(":", 1)[1], n_samples=args.samples,
                          noise=args.noise, seed=args.seed, validation_fraction=args.validation)
    if text.startswith("gate:"):
        return DataConfig(source="gate", gate=text.split(":", 1)[1].upper(), seed=args.seed,
                          validation_fraction=0.0)
    return DataConfig(source="file", path=text, seed=base.seed, validation_fraction=base.validation_fraction)


def add_open_command(sub) -> None:
    """``propscope open MODEL [--data FILE]``: the window on a Keras model file."""
    opener = sub.add_parser("open", help="open the app on a Keras model file (.keras, or .h5 from Keras 3 or "
                                         "tf.keras 2)",
                            description="Open the desktop app on a Keras model file to step it phase by phase: its "
                                        "weights, compile settings and optimizer state come with it. The model and "
                                        "the data are checked first; a problem is one line and exit code 2.")
    opener.add_argument("model", help="the model file: a Keras 3 .keras archive or a legacy .h5 model")
    opener.add_argument("--data", help="a data file (CSV/TSV/NPZ/NPY/IDX[.gz]) or a folder of class subfolders "
                                       "(default: the app's starting data)")


def cmd_open(args) -> int:
    """Check the model and data headless (one-line errors), then open the window on them."""
    return one_line_errors(_open)(args)


def _open(args) -> int:
    from app.model_opening import open_model_session

    data_config = DataConfig()
    dataset = None if args.data else data_config.load()
    open_model_session(args.model, dataset, data_config, TrainConfig(), data_path=args.data)
    from app.launch import run_app

    return run_app(model_path=args.model, data_path=args.data)


def add_commands(sub) -> None:
    add_open_command(sub)
    summary = sub.add_parser("summary", help="print the Keras summary of a model",
                             description="Print the Keras 3 summary table of a model.")
    summary.add_argument("--model", required=True, help=MODEL_HELP)
    summary.add_argument("--input-shape", default=(784,), type=input_shape,
                         help="sample shape, e.g. 784 or 28x28 (default 784)")

    train = sub.add_parser("train", help="train a model on data and optionally save the session",
                           description="Train like Keras fit, printing one line per epoch.")
    train.add_argument("--data", required=True, help=DATA_HELP)
    train.add_argument("--model", required=True, help=MODEL_HELP)
    train.add_argument("--epochs", type=bounded_int(1, "MAX_EPOCHS"), default=5)
    train.add_argument("--batch-size", type=bounded_int(1, "MAX_BATCH_SIZE"), default=32)
    train.add_argument("--optimizer", default="adam", choices=OPTIMIZERS, type=str.lower,
                       help="optimizer (default adam; any case: Adam, SGD…)")
    train.add_argument("--lr", type=bounded_float(0.0, 1e6),
                       help="learning rate (default: the optimizer's Keras default)")
    train.add_argument("--loss", choices=LOSSES, type=loss_name,
                       help="loss (default: sparse CCE for classes, BCE for two, MSE for regression); "
                            "categorical_crossentropy one-hot encodes the labels")
    train.add_argument("--seed", type=bounded_int(0, "MAX_SEED"), default=0)
    train.add_argument("--validation", type=bounded_float(0.0, 1.0, include_maximum=False), default=0.2,
                       help="validation share in [0, 1) (default 0.2)")
    train.add_argument("--samples", type=bounded_int(2, "MAX_BUILTIN_SAMPLES"), default=400,
                       help="points of a builtin set (default 400)")
    train.add_argument("--noise", type=bounded_float(0.0, 1.0), default=0.1,
                       help="noise of a builtin set, 0 to 1 (default 0.1)")
    train.add_argument("--backend", default="auto", choices=["auto", "numpy", "torch"])
    train.add_argument("--save-session", help="write a .propscope session file here at the end")

    export = sub.add_parser("export", help="export a saved session's weights (and a lecture pack)",
                            description="Export weights (NPZ, CSV, JSON, PyTorch .pt, Keras .weights.h5), the "
                                        "summary and the history; --lecture-pack adds every figure and an index page.")
    export.add_argument("--session", required=True, help="a .propscope file")
    export.add_argument("--out", required=True, help="the folder to write")
    export.add_argument("--lecture-pack", action="store_true",
                        help="also render every figure (PNG, SVG, a PDF handout) with its numbers")
    export.add_argument("--data", help="the data file, when the session references it instead of containing it")


def load_prepared(ref: dict, override_path: str | None = None):
    """The training arrays a session was built from, reproduced from its data reference (checked first:
    a reference the data panel could not have made is refused before anything is generated or read)."""
    from settings.data_ref import data_config_from_ref
    from core.export.session_file import SessionFileError

    config = data_config_from_ref(ref)
    if override_path:
        config = dataclasses.replace(config, source="file", path=override_path)
    if config.source == "file" and not config.path:
        raise SessionFileError("the session references data that is not in the file; pass --data")
    prepared = prepare(config.load(), config)
    return prepared.x_train, prepared.y_train, prepared.x_val, prepared.y_val


@one_line_errors
def cmd_summary(args) -> int:
    from core.stepper import builder

    try:
        spec = parse_model(args.model)
        shape = args.input_shape if isinstance(args.input_shape, tuple) else input_shape(args.input_shape)
        model = builder.model_from_config(spec.model_config(shape))
    except ValueError as exc:
        say(exc)
        return 2
    model.summary()
    return 0


@one_line_errors
def cmd_train(args) -> int:
    from core.datasets import DatasetError
    from core.export.session_file import save_session
    from core.stepper.blowup import chance_accuracy, detect_blowup

    use_training_threads()  # as the window trains: robust when other work holds the other core
    try:
        data_config = parse_data(args.data, args)
        data = data_config.load()
        spec = parse_model(args.model)
        loss = args.loss or default_loss(data.task)
        spec = spec.fitted_to(data, loss) if args.model not in PRESETS else spec
        hyper = {} if args.lr is None else {"learning_rate": args.lr}
        train = TrainConfig(loss=loss, optimizer=args.optimizer, hyper=hyper, batch_size=args.batch_size,
                            epochs=args.epochs, seed=args.seed, backend=args.backend)
        built = build_session(data, data_config, spec, train)
        session, prepared = built.session, built.prepared
    except (DatasetError, ValueError, TypeError) as exc:
        print(f"propscope: {exc}", file=sys.stderr)
        return 2
    print(data.describe())
    session.model.summary()
    done = 0
    for snap in session.run(capture_every_seconds=None, capture_every_steps=session.batches_per_epoch):
        if snap.divergence:
            print(f"propscope: {snap.divergence.message()}", file=sys.stderr)
            break
        while done < session.history.epochs_done:
            logs = session.history.epochs[done]
            done += 1
            print(f"Epoch {done}/{args.epochs} - " + " - ".join(f"{k}: {v:.4f}" for k, v in logs.items()))
    blowup = detect_blowup(session.history, chance_accuracy(prepared.y_train, data))
    if blowup is not None and session.divergence is None:
        say(f"warning: {blowup.message()}")
    if args.save_session:
        ref = dataclasses.asdict(data_config)
        if data_config.path:
            ref["path"] = str(Path(data_config.path).resolve())
        try:
            path = save_session(session, args.save_session, data_ref=ref,
                                settings={"data": data.describe(), "class_names": list(data.class_names),
                                          "data_name": data.name})
        except OSError as exc:
            say(f"could not save the session to {args.save_session}: {exc.strerror or exc}")
            return 1
        print(f"session saved to {path}")
    from core.export.fingerprint import lesson_fingerprint

    print(lesson_fingerprint(session).text())
    return 1 if session.divergence else 0


@one_line_errors
def cmd_export(args) -> int:
    from core.datasets import DatasetError
    from core.export.session_file import SessionFileError, load_session

    def loader(ref):
        return load_prepared(ref, override_path=args.data)

    use_training_threads()  # figures replay steps exactly as training ran them

    try:
        session, extras = load_session(args.session, data_loader=loader)
    except (SessionFileError, DatasetError) as exc:
        print(f"propscope: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        say(f"--out {args.out} is a file; give a folder (it is made if missing).")
        return 2
    settings = extras.get("settings", {})
    from core.export.fingerprint import lesson_fingerprint

    print(lesson_fingerprint(session).text())
    try:
        return _export(args, session, out, settings)
    except OSError as exc:
        say(f"could not write into {args.out}: {exc.strerror or exc}")
        return 1


def _export(args, session, out: Path, settings: dict) -> int:
    from core.export import export_all
    from core.export.atomic import write_text

    if args.lecture_pack:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen" if not os.environ.get("DISPLAY") else "")
        from PySide6.QtWidgets import QApplication

        from app.lecture_pack import build_lecture_pack

        app = QApplication.instance() or QApplication([])
        index = build_lecture_pack(session, out, data_description=settings.get("data", ""),
                                   class_names=tuple(settings.get("class_names", ())),
                                   data_name=str(settings.get("data_name", "")))
        app.processEvents()
        print(f"lecture pack written: {index}")
    else:
        export_all(session.model, out / "weights")
        write_text(out / "summary.txt", summary_text(session.model))
        print(f"weights and summary written to {out}")
    return 0


COMMANDS = {"summary": cmd_summary, "train": cmd_train, "export": cmd_export, "open": cmd_open}
