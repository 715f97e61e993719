"""Stepping training phase by phase, with snapshots, history and rewind."""

from core.stepper.history import HISTORY_BOUND_BYTES, TrainingHistory
from core.stepper.session import TrainingDiverged, TrainingSession
from core.stepper.snapshot import Divergence, LayerSnapshot, Snapshot
from core.stepper.state import SessionState

__all__ = ["Divergence", "HISTORY_BOUND_BYTES", "LayerSnapshot", "SessionState", "Snapshot", "TrainingDiverged",
           "TrainingHistory", "TrainingSession"]
