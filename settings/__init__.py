"""What the user sets, without Qt: data, model and training settings, compare-mode sides, lessons, run speeds.

The layer between ``widgets`` (which edit these settings) and ``core`` (which
trains): ``app → widgets → settings → core``. Nothing here imports Qt.
"""
