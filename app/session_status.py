"""The status line's numbers: the batch the views show, never a counter past its total.

The session's own ``epoch``/``batch`` name the *next* batch, so right after an
update they are one ahead of what the views show ("batch 2/1875 · update" while
the Layers header says batch 1), and at the end of a 5-epoch run they read
"Epoch 6/5". The status line therefore counts from the snapshot on screen,
which names the batch it belongs to, as the views do.
"""

from __future__ import annotations

from widgets.i18n import divergence_text, phase_text, snapshot_phase_text, tr


def session_status(session, snap, running: bool) -> dict:
    """What the status bar and the steps bar show for ``session`` with ``snap`` on screen.

    Parameters
    ----------
    session : TrainingSession or None
    snap : Snapshot or None
        The snapshot the views show now (the session's own, while stepping; a run's latest, while running).
    running : bool

    Returns
    -------
    dict
        ``ready``; and with a session ``step``, ``epoch`` and ``batch`` (1-based, of the batch shown),
        ``epochs``, ``batches``, ``phase``, ``loss``, ``device``, ``running``, ``max_step``, ``diverged``,
        ``nothing_to_train`` (a session of 0 epochs).
    """
    if session is None:
        return {"ready": False}
    epochs, batches = session.epochs, session.batches_per_epoch
    if snap is not None and snap.batches_per_epoch == batches:
        step, epoch, batch = snap.step, snap.epoch + 1, snap.batch + 1
        phase = snapshot_phase_text(snap)
    else:  # nothing shown yet of this session: where it stands
        step, epoch, batch = session.step, session.epoch + 1, session.batch + 1
        phase = phase_text("start")
    idle = epochs < 1
    if idle:  # "Epoch 1/0" would promise a batch that will never come
        epoch, batch, phase = 0, 0, tr("nothing to train (epochs = 0)")
    return {"ready": True, "step": step, "epoch": epoch, "epochs": epochs, "batch": batch, "batches": batches,
            "phase": phase, "loss": None if snap is None else snap.loss, "device": session.engine.ops.describe(),
            "running": running,
            # A run in the training process: the session here learns its steps when the run ends.
            "max_step": max(session.max_step, step), "nothing_to_train": idle,
            "diverged": divergence_text(session.divergence) if session.divergence else ""}
